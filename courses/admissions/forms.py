"""Input of the application and withdrawal forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TextField


class ApplicationForm(forms.Form):
    motivation = TextField(
        label=_("Why do you want to join this training?"),
        help_text=_("A few sentences are enough: what you hope to learn and do afterwards."),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class WithdrawForm(forms.Form):
    reason = TextField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
