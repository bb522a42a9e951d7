"""Input shapes of the trainees app: per-field checks only, no writes."""

import re

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.choices import DocumentKind, EducationLevel
from core.phone import phone_is_mobile, phone_normalize
from notifications.contacts import channel_preferred, whatsapp_opted_in
from notifications.kinds import Channel

from . import nik as nik_rules
from .documents import MAX_DOCUMENT_BYTES, document_check
from .errors import TraineeError
from .models import Activity, Gender
from .regions import BATANG, Kecamatan, Regency
from .services import PROFILE_FIELDS

# The AK/I card (kartu kuning) number is printed by Disnaker or the Karirhub/SIAPkerja
# system in several shapes (digits only, or groups with dots, dashes, slashes): check
# only that it looks like a card number, never that it exists.
AK1_RE = re.compile(r"^[0-9A-Z][0-9A-Z./ -]{4,28}[0-9A-Z]$")
AK1_MIN_DIGITS = 6
KARIRHUB_USER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,59}$")

DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class PhoneField(forms.CharField):
    default_error_messages = {
        "invalid": _("Enter an Indonesian phone number, e.g. 0812 3456 7890 or +62 812 3456 7890."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Phone number (WhatsApp)"))
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        normalized = phone_normalize(value)
        if normalized is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return normalized


def _whatsapp_needs_a_mobile(form, cleaned) -> None:
    if cleaned.get("whatsapp_optin") and not phone_is_mobile(cleaned.get("phone")):
        form.add_error(
            "phone", _("WhatsApp needs a mobile number (08…), not a landline or no number.")
        )


class AccountFieldsMixin(forms.Form):
    """The login of a job seeker: an e-mail, a mobile number, or both (at least one)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Optional if you give a mobile number: you can log in with either."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    full_name = forms.CharField(
        label=_("Full name (as on your KTP)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneField(required=False)

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if "email" not in self.errors and "phone" not in self.errors:
            if not cleaned.get("email") and not cleaned.get("phone"):
                self.add_error("phone", _("Give an e-mail address or a mobile number."))
            elif not cleaned.get("email") and not phone_is_mobile(cleaned.get("phone")):
                # Without an e-mail the number is the login and the way codes arrive.
                self.add_error("phone", _("Without an e-mail address, give a mobile number (08…)."))
        return cleaned


class SignUpForm(AccountFieldsMixin):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )

    whatsapp_optin = forms.BooleanField(
        label=_(
            "Send me messages about my applications and training by WhatsApp too "
            "(reply STOP to end them)."
        ),
        required=False,
    )

    field_order = ["full_name", "email", "phone", "whatsapp_optin", "password"]

    def clean(self):
        cleaned = super().clean()
        _whatsapp_needs_a_mobile(self, cleaned)
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email") or None, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password, user=probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


def _optional_choice(label, choices) -> forms.ChoiceField:
    """An optional choice whose empty option reads "—"."""
    return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *choices])


# Nobody finishes even primary school (SD, at about 12) before the age of 10.
MIN_AGE_AT_GRADUATION = 10


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name (as on your KTP)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneField(required=False)
    nik = forms.CharField(
        label=_("NIK (16 digits on your KTP or KK)"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    gender = _optional_choice(_("Gender"), Gender.choices)
    address = forms.CharField(
        label=_("Street address (street, RT/RW, village)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    regency = _optional_choice(_("Regency or city where you live"), Regency.choices)
    kecamatan = _optional_choice(
        _("Kecamatan (if you live in Kabupaten Batang)"), Kecamatan.choices
    )
    education_level = _optional_choice(_("Highest completed education"), EducationLevel.choices)
    major = forms.CharField(label=_("Major (jurusan)"), max_length=120, required=False)
    school = forms.CharField(label=_("School or campus"), max_length=160, required=False)
    graduation_year = forms.IntegerField(
        label=_("Graduation year"),
        required=False,
        min_value=1950,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    work_experience_years = forms.IntegerField(
        label=_("Work experience (years)"),
        required=False,
        min_value=0,
        max_value=60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "Years you have worked, in any job. K3 programmes ask for a minimum; bring the "
            "experience letter (surat keterangan pengalaman kerja) as a document."
        ),
    )
    current_activity = _optional_choice(_("What are you doing now?"), Activity.choices)
    disability = forms.CharField(
        label=_("Disability (optional)"),
        max_length=200,
        required=False,
        help_text=_("Tell us if you have a disability, for the places reserved for it."),
    )
    ak1_number = forms.CharField(
        label=_("AK/I card number (kartu kuning), if you have one"),
        max_length=30,
        required=False,
        help_text=_(
            "Optional. The job seeker's card of Disnaker Kabupaten Batang: ask for it at the "
            "Disnaker office with your KTP, a photo and your last diploma, or online at "
            "karirhub.kemnaker.go.id. Employers in the industrial zone often ask for it."
        ),
    )
    karirhub_id = forms.CharField(
        label=_("Karirhub account (e-mail or user name), if you have one"),
        max_length=60,
        required=False,
        help_text=_(
            "Optional. Sign up free at karirhub.kemnaker.go.id, the Ministry of Manpower's job "
            "board: it also issues the AK/I card online. Nothing here depends on it."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Smart Training Center Batang processes my personal data "
            "(including my NIK and documents) for selection, training and job placement, "
            "as described under Law 27/2022 on Personal Data Protection."
        ),
        required=False,
    )

    whatsapp_optin = forms.BooleanField(
        label=_("Send me messages by WhatsApp (reply STOP to end them)."), required=False
    )
    channel = forms.ChoiceField(
        label=_("How should we reach you?"),
        required=False,
        choices=[
            ("", _("WhatsApp if I agreed above, else e-mail")),
            (Channel.WHATSAPP, _("WhatsApp")),
            (Channel.EMAIL, _("E-mail")),
            (Channel.SMS, _("SMS (only urgent messages: seat offers, deadlines)")),
        ],
        help_text=_("Urgent messages that do not arrive by WhatsApp come by SMS or e-mail."),
    )

    def clean_ak1_number(self):
        """Never a gate: empty is fine; a number is checked only for its shape."""
        value = " ".join((self.cleaned_data.get("ak1_number") or "").split()).upper()
        if not value:
            return ""
        digits = sum(ch.isdigit() for ch in value)
        if not AK1_RE.match(value) or digits < AK1_MIN_DIGITS:
            raise ValidationError(
                _(
                    "Type the AK/I card number as printed on the card: digits, with dots, "
                    "dashes or slashes if it has them (at least %(n)d digits). Leave it "
                    "empty if you have no card: nothing depends on it."
                )
                % {"n": AK1_MIN_DIGITS},
                code="ak1_format",
            )
        return value

    def clean_karirhub_id(self):
        """The e-mail or user name of the Karirhub account; never a gate."""
        value = (self.cleaned_data.get("karirhub_id") or "").strip()
        if not value:
            return ""
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("This is not a valid e-mail address for a Karirhub account."),
                    code="karirhub_format",
                ) from None
            return value.lower()
        if not KARIRHUB_USER_RE.match(value):
            raise ValidationError(
                _(
                    "Give the e-mail address or user name of your Karirhub account (letters, "
                    "digits, dots, dashes or underscores, no spaces), or leave it empty."
                ),
                code="karirhub_format",
            )
        return value

    def clean_nik(self):
        value = nik_rules.nik_normalize(self.cleaned_data.get("nik"))
        if not value:
            return None
        try:
            nik_rules.nik_parse(value)
        except nik_rules.InvalidNik as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        return value

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("The birth date cannot be in the future."), code="future")
        if value and value.year < 1930:
            raise ValidationError(_("Check the birth year."), code="too_old")
        return value

    def clean_graduation_year(self):
        value = self.cleaned_data.get("graduation_year")
        if value and value > timezone.localdate().year + 6:
            raise ValidationError(_("Check the graduation year."), code="too_late")
        return value

    def clean(self):
        cleaned = super().clean()
        _whatsapp_needs_a_mobile(self, cleaned)
        birth, graduated = cleaned.get("birth_date"), cleaned.get("graduation_year")
        if birth and graduated and graduated - birth.year < MIN_AGE_AT_GRADUATION:
            self.add_error(
                "graduation_year",
                ValidationError(
                    _(
                        "In %(year)s you were %(age)s years old: check the graduation year "
                        "or the birth date."
                    )
                    % {"year": graduated, "age": max(graduated - birth.year, 0)},
                    code="before_birth",
                ),
            )
        if cleaned.get("channel") == Channel.WHATSAPP and not cleaned.get("whatsapp_optin"):
            self.add_error("channel", _("Tick the WhatsApp box above to be reached on WhatsApp."))
        if cleaned.get("regency") == BATANG and not cleaned.get("kecamatan"):
            self.add_error("kecamatan", _("Choose your kecamatan in Kabupaten Batang."))
        if cleaned.get("kecamatan") and cleaned.get("regency") not in ("", BATANG):
            self.add_error(
                "kecamatan",
                _("A kecamatan is only chosen for an address in Kabupaten Batang."),
            )
        return cleaned

    def profile_data(self) -> dict:
        """The cleaned values the service `trainee_profile_update` takes as `profile`."""
        return {name: self.cleaned_data.get(name) for name in PROFILE_FIELDS}

    @classmethod
    def initial_for(cls, trainee) -> dict:
        initial = {name: getattr(trainee, name) for name in PROFILE_FIELDS}
        initial.update(
            full_name=trainee.user.full_name,
            phone=trainee.user.phone,
            consent=trainee.consent_at is not None,
            whatsapp_optin=whatsapp_opted_in(trainee.user),
            channel=channel_preferred(trainee.user),
        )
        return initial


class WalkInForm(AccountFieldsMixin, ProfileForm):
    """Staff register an applicant at the office: account fields plus the profile."""

    whatsapp_optin = forms.BooleanField(
        label=_("The applicant agreed to receive messages by WhatsApp on this number."),
        required=False,
    )
    channel = None  # the person chooses on their own profile

    consent = forms.BooleanField(
        label=_(
            "The applicant has read the data-processing statement (Law 27/2022) and agreed to it."
        ),
        required=False,
    )

    field_order = ["full_name", "email", "phone"]


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File (PDF up to 2 MB; a larger photo is made smaller for you)"),
        widget=forms.ClearableFileInput(
            # Read by trainees/static/trainees/photo-resize.js: photos over the stored
            # limit are scaled down in the browser before they are sent.
            attrs={"accept": DOCUMENT_ACCEPT, "data-shrink-to": MAX_DOCUMENT_BYTES}
        ),
        error_messages={
            "empty": _("The file is empty."),
            "required": _("Choose a file to upload."),
        },
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            document_check(uploaded)
        except TraineeError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        return uploaded
