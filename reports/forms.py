"""Input of the reports app: the tracer answer (all but "working?" optional)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SalaryBand, TracerSurvey

YES, NO = "yes", "no"


class TracerAnswerForm(forms.Form):
    working = forms.ChoiceField(
        label=_("Are you working now?"),
        choices=[(YES, _("Yes, I am working")), (NO, _("Not yet"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose “Yes, I am working” or “Not yet”.")},
    )
    employer_name = forms.CharField(
        label=_("Employer (optional)"),
        required=False,
        max_length=TracerSurvey._meta.get_field("employer_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    salary_band = forms.ChoiceField(
        label=_("Monthly pay (optional)"),
        choices=SalaryBand.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    related_to_training = forms.ChoiceField(
        label=_("Is the work related to the training? (optional)"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        required=False,
        widget=forms.RadioSelect,
    )

    @classmethod
    def initial_for(cls, survey: TracerSurvey, answer: str = "") -> dict:
        """What the form shows: the saved answer, or the button clicked in the mail."""
        initial = {}
        if survey.answered:
            initial = {
                "working": YES if survey.working else NO,
                "employer_name": survey.employer_name,
                "salary_band": survey.salary_band,
                "related_to_training": {True: YES, False: NO}.get(survey.related_to_training, ""),
            }
        if answer in ("working", "not_working"):
            initial["working"] = YES if answer == "working" else NO
        return initial

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "working": data["working"] == YES,
            "employer_name": data.get("employer_name", ""),
            "salary_band": data.get("salary_band", ""),
            "related_to_training": {YES: True, NO: False}.get(data.get("related_to_training")),
        }
