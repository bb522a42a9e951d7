"""Input of the certification pages: the person's APL form upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadError, upload_sanitize


class AplUploadForm(forms.Form):
    """One APL form (APL-01 application or APL-02 self-assessment) as PDF, JPG or PNG."""

    form = forms.ChoiceField(
        choices=[("apl01", _("APL-01 form")), ("apl02", _("APL-02 self-assessment"))],
        widget=forms.HiddenInput,
    )
    file = forms.FileField(
        label=_("File (PDF, JPG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        error_messages={
            "empty": _("The file is empty."),
            "required": _("Choose a file to upload."),
        },
    )

    def clean_file(self):
        try:
            return upload_sanitize(self.cleaned_data["file"])
        except UploadError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
