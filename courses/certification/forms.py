"""Input of the certification pages: the person's APL form upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import form_upload_clean


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
        return form_upload_clean(self.cleaned_data["file"])
