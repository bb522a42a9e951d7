"""Input of the catalogue's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import EducationLevel
from courses.models import Track


class TrackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters (a GET form: every field optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. welding, CNC, coder")}
        ),
    )
    track = TrackChoiceField(
        label=_("Track"),
        queryset=Track.objects.order_by("position", "name_id"),
        to_field_name="slug",
        required=False,
        empty_label=_("All tracks"),
        error_messages={
            "invalid_choice": _("That track does not exist; choose one from the list.")
        },
    )
    education = forms.ChoiceField(
        label=_("Your education"),
        required=False,
        choices=[("", _("Any education"))] + list(EducationLevel.choices),
        help_text=_("Shows only programs whose minimum education you meet."),
    )
    open = forms.BooleanField(label=_("Registration open now"), required=False)
