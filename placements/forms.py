"""Input shapes of the placements app: per-field checks only, no writes."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.choices import EducationLevel
from core.forms import form_upload_clean
from courses.models import CredentialScheme, Program, Track
from trainees.forms import PhoneField

from .models import (
    COVER_NOTE_MAX,
    Employer,
    JobApplication,
    JobSeekerPreference,
    Vacancy,
    Zone,
)
from .services.employers import COMPANY_FIELDS, K3_CONTACT_FIELDS


class NIBField(forms.CharField):
    """The 13-digit NIB; spaces, dots and dashes typed from the OSS print-out are dropped."""

    default_error_messages = {
        "invalid": _("The NIB has exactly 13 digits (see the OSS certificate)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIB (Nomor Induk Berusaha)"))
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        kwargs.setdefault("help_text", _("13 digits, from OSS."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        digits = re.sub(r"[\s.\-]", "", value or "")
        if not re.fullmatch(r"\d{13}", digits) or not digits.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return digits


class CheckboxesField(forms.ModelMultipleChoiceField):
    """An optional choice of several rows, one checkbox each."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def range_check(form, low_field: str, high_field: str, message) -> None:
    """Refuse a range that ends below its start, on its end field (either may be empty)."""
    low, high = form.cleaned_data.get(low_field), form.cleaned_data.get(high_field)
    if low is not None and high is not None and low > high:
        form.add_error(high_field, message)


def not_past(value, now, message):
    """`value` (a date or a moment, or empty) unless it lies before `now`: then `message`."""
    if value and value < now:
        raise ValidationError(message, code="past")
    return value


class RupiahField(forms.IntegerField):
    """A monthly amount in rupiah; "Rp 2.800.000", "2,800,000" and "2800000" all work."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)^\s*(rp|idr)\.?\s*", "", value)
            value = re.sub(r"[\s.,]", "", value)
        return super().to_python(value)


class CompanyForm(forms.ModelForm):
    nib = NIBField()
    phone = PhoneField(
        label=_("Company phone"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "work tel"}),
    )
    k3_contact_phone = PhoneField(
        label=_("K3 contact's phone"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "section-k3 tel"}),
    )

    class Meta:
        model = Employer
        fields = (*COMPANY_FIELDS, *K3_CONTACT_FIELDS)
        # "work …" autofill: the company's details, not the person typing them.
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "email": forms.EmailInput(attrs={"autocomplete": "work email"}),
            # A named section: the K3 contact is another person than the company.
            "k3_contact_email": forms.EmailInput(attrs={"autocomplete": "section-k3 email"}),
        }

    def __init__(self, *args, frozen=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in frozen:
            self.fields[name].disabled = True
            self.fields[name].help_text = _("Verified by staff; ask the training center to change.")

    def validate_unique(self):
        # The service answers "NIB taken" with a sentence that says what to do.
        pass


class EmployerRegisterForm(CompanyForm):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    account_email = forms.EmailField(
        label=_("Your e-mail address (to log in)"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )

    # The K3 contact is named later, on the company page.
    k3_contact_phone = None

    class Meta(CompanyForm.Meta):
        fields = COMPANY_FIELDS

    field_order = ["full_name", "account_email", "password", *COMPANY_FIELDS]

    def clean_account_email(self):
        return User.objects.normalize_email(self.cleaned_data["account_email"])

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = User(
                email=cleaned.get("account_email", ""), full_name=cleaned.get("full_name", "")
            )
            try:
                validate_password(password, user=probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned

    def company_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in COMPANY_FIELDS}


class VacancyForm(forms.ModelForm):
    salary_min = RupiahField(label=_("Salary from (Rp a month)"), required=False)
    salary_max = RupiahField(label=_("Salary up to (Rp a month)"), required=False)
    tracks = CheckboxesField(
        label=_("Vocational tracks"),
        queryset=Track.objects.all(),
        help_text=_("Graduates of these tracks are told about the vacancy."),
    )

    class Meta:
        model = Vacancy
        fields = (
            "title",
            "reference",
            "karirhub_id",
            "description",
            "employment_type",
            "openings",
            "tracks",
            "min_education",
            "required_program",
            "required_scheme",
            "licence_scheme",
            "salary_min",
            "salary_max",
            "work_location",
            "zone",
            "deadline",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_program"].queryset = Program.objects.filter(
            is_published=True
        ).select_related("track")
        self.fields["required_program"].empty_label = _("No certificate required")
        self.fields["required_scheme"].queryset = CredentialScheme.objects.exclude(
            kind=CredentialScheme.Kind.STC_TRAINING
        )
        self.fields["required_scheme"].empty_label = _("No licence required")
        self.fields["licence_scheme"].queryset = CredentialScheme.objects.filter(
            kind=CredentialScheme.Kind.K3_LICENCE
        )
        self.fields["licence_scheme"].empty_label = _("None")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        return not_past(deadline, timezone.localdate(), _("The deadline cannot be in the past."))

    def clean(self):
        cleaned = super().clean()
        range_check(
            self,
            "salary_min",
            "salary_max",
            _("The highest salary cannot be below the lowest salary."),
        )
        return cleaned

    def vacancy_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "tracks"}


class JobApplicationForm(forms.Form):
    cover_note = forms.CharField(
        label=_("Short cover note"),
        max_length=COVER_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why you want this job and what you can do, in a few sentences."),
    )


class VacancyCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        help_text=_("E.g. all openings are filled."),
    )


class RejectForm(forms.Form):
    """Staff: why a vacancy goes back to the employer."""

    reason = forms.CharField(
        label=_("Reason for the employer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class BelowUmkConfirmForm(forms.Form):
    """Staff: why a vacancy paying less than the UMK may still be published."""

    confirm = forms.BooleanField(
        label=_("I checked the salary with the employer and publish it below the UMK"),
    )
    reason = forms.CharField(
        label=_("Reason (kept in the vacancy's history)"),
        help_text=_("E.g. an internship allowance, or part-time hours."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


# --- Pipeline moves: one form per target status ---------------------------------------

S = JobApplication.Status


class MoveForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the applicant (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InterviewForm(MoveForm):
    interview_at = forms.DateTimeField(
        label=_("Interview date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    interview_place = forms.CharField(label=_("Interview place"), max_length=200)

    def clean_interview_at(self):
        value = self.cleaned_data["interview_at"]
        return not_past(value, timezone.now(), _("The interview date is in the past."))


class HireForm(MoveForm):
    start_date = forms.DateField(
        label=_("First working day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    salary = RupiahField(label=_("Salary (Rp a month, optional)"), required=False)


class NotSelectedForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, for the applicant"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One polite sentence helps them next time."),
    )


MOVE_FORMS: dict[str, type[forms.Form]] = {
    S.SHORTLISTED: MoveForm,
    S.INTERVIEW: InterviewForm,
    S.OFFERED: MoveForm,
    S.HIRED: HireForm,
    S.NOT_SELECTED: NotSelectedForm,
}


class JobPreferenceForm(forms.ModelForm):
    class Meta:
        model = JobSeekerPreference
        fields = ("job_alerts", "discoverable", "share_credentials")


class VacancyFilterForm(forms.Form):
    """The public board's filters; invalid values are ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    track = forms.ChoiceField(label=_("Track"), required=False)
    education = forms.ChoiceField(label=_("My education"), required=False)
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    employment_type = forms.ChoiceField(label=_("Employment type"), required=False)

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["track"].choices = anything + [(t.slug, t.name) for t in tracks]
        self.fields["education"].choices = anything + list(EducationLevel.choices)
        self.fields["zone"].choices = anything + list(Zone.choices)
        self.fields["employment_type"].choices = anything + list(Vacancy.EmploymentType.choices)

    def filters(self) -> dict:
        if not self.is_valid():
            # Keep whatever is valid; drop the rest silently (old links, typos).
            return {
                name: self.cleaned_data.get(name, "")
                for name in ("q", "track", "education", "zone", "employment_type")
                if name not in self.errors
            }
        return dict(self.cleaned_data)


class NominationForm(forms.Form):
    """An assessment ahead and the workers' NIKs, one per line (or separated by commas)."""

    assessment = forms.ModelChoiceField(label=_("Competency assessment"), queryset=None)
    niks = forms.CharField(
        label=_("Workers' NIKs"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("One NIK a line (16 digits). Each worker needs an account on the portal."),
    )

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments


class EmployerCredentialForm(forms.Form):
    """A licence issued on the company's application for one of its placed people."""

    person = forms.ModelChoiceField(label=_("Worker"), queryset=None)
    scheme = forms.ModelChoiceField(label=_("Licence"), queryset=None)
    number = forms.CharField(label=_("Licence number"), max_length=60)
    issued_on = forms.DateField(
        label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Empty: computed from the scheme's validity."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scan = forms.FileField(
        label=_("Scan of the licence card (PDF, JPG or PNG)"),
        required=False,
        help_text=_("Staff check it against the number before the licence shows as checked."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda t: t.user.get_full_name()
        self.fields["scheme"].queryset = CredentialScheme.objects.filter(
            kind=CredentialScheme.Kind.K3_LICENCE
        )

    def clean_scan(self):
        return form_upload_clean(self.cleaned_data.get("scan"))
