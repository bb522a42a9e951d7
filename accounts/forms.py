from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    UserChangeForm,
    UserCreationForm,
)
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.services import notification_queue

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


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
        token = context["token"]
        notification_queue(
            kind="account.password_reset",
            recipient=user,
            email=to_email,
            context={
                "url": reverse(
                    "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": token}
                ),
                "email": to_email,
            },
            # A token is only valid for one state of the account: the same reset link is
            # never mailed twice, a new request (new token) is.
            dedup_key=f"account.password_reset:{user.pk}:{token}",
        )


class AdminUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
