"""The job seeker: profile facts used for eligibility, and private documents."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import DocumentKind, education_field
from core.models import Timestamped, actor_field, bounded_number, owner_field

from .nik import nik_mask
from .regions import BATANG, Kecamatan, Regency


class Gender(models.TextChoices):
    # Values match trainees.nik.MALE/FEMALE (the +40 rule of the NIK).
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Activity(models.TextChoices):
    STUDYING = "studying", _("Studying")
    WORKING = "working", _("Working")
    LOOKING = "looking_for_work", _("Looking for work")


class Trainee(Timestamped):
    """A job seeker's profile: one per account, created at sign-up, filled in later.

    Written only by the services in trainees/services.py, which derive
    `domicile_in_batang` from the address and `nik_warnings` from the NIK.
    """

    user = owner_field(_("account"), related_name="trainee", one_to_one=True)
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    # Codes from trainees.nik (WARNING_*): the NIK disagrees with the declared facts.
    nik_warnings = models.JSONField(_("NIK warnings"), default=list, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    regency = models.CharField(
        _("regency or city"), max_length=8, choices=Regency.choices, blank=True
    )
    kecamatan = models.CharField(
        _("kecamatan"), max_length=8, choices=Kecamatan.choices, blank=True
    )
    domicile_in_batang = models.BooleanField(
        _("lives in Kabupaten Batang"), default=False, db_index=True
    )
    education_level = education_field(_("education level"))
    major = models.CharField(_("major"), max_length=120, blank=True)
    school = models.CharField(_("school or campus"), max_length=160, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)
    work_experience_years = bounded_number(
        _("work experience (years)"),
        null=True,
        blank=True,
        maximum=60,
        help_text=_("Years worked in any job; K3 programmes ask for a minimum."),
    )
    current_activity = models.CharField(
        _("current activity"), max_length=20, choices=Activity.choices, blank=True
    )
    disability = models.CharField(
        _("disability"),
        max_length=200,
        blank=True,
        help_text=_("Optional; used for places reserved for people with disabilities."),
    )
    # The labour-market desk's numbers (optional, never a gate): the Disnaker job-seeker card
    # (AK/I, "kartu kuning") and the Kemnaker Karirhub account.
    ak1_number = models.CharField(_("AK/I card number (kartu kuning)"), max_length=30, blank=True)
    karirhub_id = models.CharField(_("Karirhub account"), max_length=60, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    registered_by = actor_field(
        _("registered by staff"),
        help_text=_("Set when a staff member registered this walk-in applicant."),
    )

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domicile_in_batang=False) | models.Q(regency=BATANG),
                name="trainees_domicile_follows_regency",
            ),
            models.CheckConstraint(
                condition=models.Q(kecamatan="") | models.Q(regency=BATANG),
                name="trainees_kecamatan_only_in_batang",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def nik_masked(self) -> str:
        return nik_mask(self.nik)

    @property
    def has_nik_warning(self) -> bool:
        return bool(self.nik_warnings)


def document_upload_to(instance, filename):
    """Random storage name: nothing about the person or the file leaks into the path."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        instance.content_type, "bin"
    )
    return f"documents/{uuid.uuid4().hex}.{extension}"


class Document(models.Model):
    """One uploaded document per kind and person; a new upload replaces the old one.

    The file lives in the default storage (private MEDIA_ROOT, or a private bucket) and
    is only ever read through the authorised download view, never through a URL of the
    storage itself.
    """

    Kind = DocumentKind

    trainee = models.ForeignKey(
        Trainee, verbose_name=_("job seeker"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = actor_field(_("uploaded by"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "kind"], name="trainees_one_document_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.trainee})"

    @property
    def download_name(self) -> str:
        extension = self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else "bin"
        return f"{self.kind}-{self.trainee_id}.{extension}"
