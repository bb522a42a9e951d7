from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    SetPasswordMixin,
    UserChangeForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

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


def _login_field():
    return forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


def _login_clean(value: str) -> str:
    """An e-mail address or a number that reads as Indonesian, else a clear error."""
    value = value.strip()
    if not User.objects.normalize_login(value).startswith("+"):
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("Enter an e-mail address or an Indonesian mobile number (08…)."),
                code="login",
            ) from None
    return value


class PasswordResetRequestForm(forms.Form):
    """The "Lupa kata sandi" form: an e-mail gets the reset link, a mobile number a code."""

    login = _login_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs["autofocus"] = True

    def clean_login(self):
        return _login_clean(self.cleaned_data["login"])


class CodePasswordForm(SetPasswordMixin, forms.Form):
    """The code sent by WhatsApp, SMS or e-mail, and the new password it lets one set."""

    login = _login_field()
    code = forms.CharField(
        label=_("Code (6 digits)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1=_("New password"), label2=_("New password confirmation")
    )

    def clean_login(self):
        return _login_clean(self.cleaned_data["login"])

    def clean_code(self):
        from .codes import DIGITS, code_normalize

        code = code_normalize(self.cleaned_data["code"])
        if len(code) != DIGITS or not code.isdigit():
            raise ValidationError(_("The code has 6 digits."), code="code_format")
        return code

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(None, password_field_name="new_password2")  # noqa: S106
        return super().clean()


class AdminUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone", "full_name", "role")


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
