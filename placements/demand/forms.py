"""Input shapes of demand statements, pledges and invitations: per-field checks only."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CompetencyUnit, Program, Track

from ..forms import CheckboxesField, RupiahField, range_check
from . import rules, selectors
from .models import DemandStatement, Pledge

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _wage_range_check(form) -> None:
    range_check(
        form, "wage_min", "wage_max", _("The highest wage cannot be below the lowest wage.")
    )


class DemandForm(forms.ModelForm):
    quarter = forms.ChoiceField(label=_("Quarter"), help_text=_("When you expect to hire."))
    wage_min = RupiahField(label=_("Wage from (Rp a month)"))
    wage_max = RupiahField(label=_("Wage up to (Rp a month)"), required=False)
    units = CheckboxesField(
        label=_("SKKNI units that matter most"),
        queryset=CompetencyUnit.objects.none(),
        help_text=_("Units of the program you named (save once to see them)."),
    )

    class Meta:
        model = DemandStatement
        fields = (*rules.DEMAND_FIELDS, "units")
        widgets = {"skills": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = rules.quarters_from(timezone.localdate(), 8)
        current = self.instance.quarter if self.instance.pk else ""
        if current and current not in quarters:
            quarters.insert(0, current)
        self.fields["quarter"].choices = [(q, q) for q in quarters]
        self.fields["track"].queryset = Track.objects.all()
        self.fields["program"].queryset = Program.objects.filter(is_published=True).select_related(
            "track"
        )
        self.fields["program"].empty_label = _("Any program of the track")
        program_id = str(
            self.data.get(self.add_prefix("program")) or self.instance.program_id or ""
        )
        # Offer the units of the program chosen (a short id: typed garbage is no query).
        if program_id.isascii() and program_id.isdigit() and len(program_id) < 10:
            self.fields["units"].queryset = CompetencyUnit.objects.filter(
                program_id=int(program_id)
            ).order_by("position", "code")

    def clean(self):
        cleaned = super().clean()
        _wage_range_check(self)
        return cleaned

    def demand_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "units"}


class PledgeForm(forms.ModelForm):
    cohort = forms.ModelChoiceField(
        label=_("Intake"), queryset=Pledge.objects.none(), empty_label=_("Choose an intake")
    )
    wage_min = RupiahField(label=_("Wage from (Rp a month)"), required=False)
    wage_max = RupiahField(label=_("Wage up to (Rp a month)"), required=False)

    class Meta:
        model = Pledge
        fields = ("cohort", *rules.PLEDGE_FIELDS)
        widgets = {
            "kind": forms.RadioSelect,
            "start_from": DATE,
            "start_until": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "seats": _("Only for a pledge to hire: how many graduates."),
            "local_share": _("Optional: the share of hires who live in Kabupaten Batang."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = selectors.cohort_list_pledgeable()
        self.fields["cohort"].label_from_instance = lambda c: (
            _("%(program)s, intake %(code)s (training ends %(end)s)")
            % {
                "program": c.program.title,
                "code": c.code,
                "end": c.training_end.strftime("%d-%m-%Y"),
            }
        )

    def clean(self):
        cleaned = super().clean()
        _wage_range_check(self)
        range_check(self, "start_from", "start_until", _("The window ends before it starts."))
        return cleaned

    def pledge_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "cohort"}

    def _post_clean(self):
        # The model's own checks need the employer and status the service sets.
        pass


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the graduate"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("We would like to invite you to an interview. Please reply to this e-mail."),
    )
