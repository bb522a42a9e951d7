from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .uploads import CleanUpload, UploadError, upload_sanitize


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the password and an explicit yes."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data are deleted for good."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password


class TextField(forms.CharField):
    """Multi-line text counted as the browser counts it.

    A browser counts a line break as one character against a textarea's `maxlength`,
    but sends it as two ("\r\n"). Without this, a text the browser let through at the
    limit was refused here for each line break it holds. Line breaks are stored as "\n".
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


def form_add_refusal(form, field: str | None, error: DomainError) -> None:
    """Show a service's refusal on the form that asked for it: under `field`, or above
    the form when it is None (the error keeps its code)."""
    form.add_error(field, ValidationError(error.message, code=error.code))


def form_upload_clean(uploaded) -> CleanUpload | None:
    """A form's `clean_<field>` of an upload: its clean content (`core.uploads`), None when
    no file came, or the upload's refusal as the field's error (with its code)."""
    if not uploaded:
        return None
    try:
        return upload_sanitize(uploaded)
    except UploadError as error:
        raise ValidationError(error.message, code=error.code) from error
