import uuid

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    UserChangeForm,
    UserCreationForm,
)
from django.utils.translation import gettext_lazy as _

from notifications.services import notification_queue

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    """One field for the e-mail or the mobile number (accounts.backends reads either)."""

    username = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct e-mail or mobile number and password (the password is "
            "case-sensitive)."
        ),
    }


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, but the mail goes through the notifications outbox."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        notification_queue(
            kind="account.password_reset",
            recipient=user,
            email=to_email,
            # The reset link is made when the mail is sent (accounts.links): the token
            # Django made here is dropped, so none is stored where staff could read it.
            context={"email": to_email},
            # Every request is a new mail (the view's rate limits bound how many).
            dedup_key=f"account.password_reset:{user.pk}:{uuid.uuid4().hex}",
        )


class AdminUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone", "full_name", "role")


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
