"""Tables of the placements app: employers, vacancies, job applications, placements.

Status fields are state machines with one door each (`placements.services`):
`vacancy_transition` is the only code assigning `Vacancy.status`,
`job_application_transition` the only one assigning `JobApplication.status`. Every move
leaves a row in the matching history table (`VacancyEvent`, `JobApplicationEvent`).
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import education_field
from core.models import (
    ChoiceLabels,
    Timestamped,
    TransitionEvent,
    actor_field,
    bounded_number,
    optional_key,
    owner_field,
)

NIB_RE = r"^\d{13}$"
COVER_NOTE_MAX = 1500


class PlacementPolicy(models.Model):
    """The rules of the job board that staff change without a deployment: one row.

    Read through `placement_policy()` (memoised for a minute per process, so a list
    page does not query it per row); written through `services.placement_policy_update`.
    The defaults below are the values of 2026 and serve when the row is missing.
    """

    umk = bounded_number(
        _("UMK of Kabupaten Batang (Rp a month)"),
        default=2_708_520,
        minimum=1,
        large=True,
        help_text=_("Vacancies and placements paying less are flagged."),
    )
    umk_year = bounded_number(
        _("UMK applies to the year"),
        default=2026,
        minimum=2020,
        help_text=_("The UMK is set every year: change both together."),
    )
    weekly_cap = bounded_number(
        _("job applications a person may send in 7 days"), default=10, minimum=1
    )
    no_response_days = bounded_number(
        _("days without an answer before the applicant is told"),
        default=14,
        minimum=1,
        help_text=_("An upcoming interview counts from its date."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = actor_field(_("changed by"), editable=False)

    class Meta:
        verbose_name = _("job board policy")
        verbose_name_plural = _("job board policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="placements_policy_one_row"),
        ]

    def __str__(self):
        return str(_("Job board policy"))


_POLICY_TTL = 60.0
_policy_memo: dict[str, object] = {}


def placement_policy() -> PlacementPolicy:
    """The job board's policy row (defaults when missing), memoised for `_POLICY_TTL`."""
    now = time.monotonic()
    if _policy_memo.get("until", 0.0) < now:
        _policy_memo["policy"] = PlacementPolicy.objects.filter(pk=1).first() or PlacementPolicy(
            pk=1
        )
        _policy_memo["until"] = now + _POLICY_TTL
    return _policy_memo["policy"]


def placement_policy_forget() -> None:
    """Drop the memo: the next read sees the row as it is now (after a change, in tests)."""
    _policy_memo.clear()


def umk_batang() -> int:
    """The monthly minimum wage (UMK) of Kabupaten Batang in rupiah, from the policy."""
    return placement_policy().umk


class Zone(models.TextChoices):
    """Where a company (or a job) is: the industrial zones first, they are the demand."""

    KITB = "kitb", _("KITB (Batang Integrated Industrial Estate)")
    BIP = "bip", _("Batang Industrial Park")
    BATANG = "batang", _("Elsewhere in Kabupaten Batang")
    OUTSIDE = "outside", _("Outside Kabupaten Batang")


class Sector(models.TextChoices):
    GLASS = "glass", _("Glass and ceramics")
    FOOTWEAR = "footwear", _("Footwear, garment and textiles")
    ELECTRONICS = "electronics", _("Electronics and electrical")
    ENERGY = "energy", _("Solar and renewable energy")
    AUTOMOTIVE = "automotive", _("Automotive and EV batteries")
    FOOD = "food", _("Food and beverage")
    CHEMICALS = "chemicals", _("Chemicals, plastics and pharmaceuticals")
    WOOD = "wood", _("Wood and furniture")
    METAL = "metal", _("Metal and machinery")
    LOGISTICS = "logistics", _("Logistics and warehousing")
    CONSTRUCTION = "construction", _("Construction and building services")
    SERVICES = "services", _("Services and trade")
    OTHER = "other", _("Other")


class Employer(models.Model):
    """A company that recruits through the portal, identified by its NIB.

    Anyone can register one; its vacancies are published only after staff verified it
    (`verified_at`), because fake vacancies are a known problem in the region.
    """

    name = models.CharField(_("company name"), max_length=200)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        validators=[RegexValidator(NIB_RE, _("The NIB has exactly 13 digits."))],
        help_text=_("Nomor Induk Berusaha from OSS: 13 digits."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices, db_index=True)
    address = models.CharField(_("address"), max_length=300)
    contact_person = models.CharField(_("contact person"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("company e-mail"))
    # Who files the K3 licences and their renewals (Permenaker 8/2020): the registry's
    # reminders about licences bound to the company go to this e-mail, else to the
    # accounts acting for the company.
    k3_contact_name = models.CharField(_("K3 contact (name)"), max_length=150, blank=True)
    k3_contact_phone = models.CharField(_("K3 contact's phone"), max_length=20, blank=True)
    k3_contact_email = models.EmailField(
        _("K3 contact's e-mail"),
        blank=True,
        help_text=_("Reminders before a licence of your workers expires go here."),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = actor_field(_("verified by"), editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nib__regex=NIB_RE), name="placements_employer_nib_13_digits"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class EmployerMember(models.Model):
    """An account (role employer) that acts for one employer."""

    user = owner_field(_("account"), related_name="employer_membership", one_to_one=True)
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="members"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer account")
        verbose_name_plural = _("employer accounts")

    def __str__(self):
        return f"{self.user} @ {self.employer}"


class EmployerEvent(TransitionEvent):
    """A step in an employer's standing with the center: staff verified the company."""

    class Standing(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        VERIFIED = "verified", _("Verified")

    employer = TransitionEvent.subject_field(Employer, _("employer"))
    from_status, to_status = TransitionEvent.status_fields(Standing.choices, max_length=10)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("employer history entry")
        verbose_name_plural = _("employer history")


class Vacancy(ChoiceLabels, Timestamped):
    """A job offer of an employer, moderated by staff before it is public."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    class EmploymentType(models.TextChoices):
        PKWT = "pkwt", _("Fixed-term contract (PKWT)")
        PKWTT = "pkwtt", _("Permanent (PKWTT)")
        MAGANG = "magang", _("Internship (magang)")

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="vacancies"
    )
    title = models.CharField(_("job title"), max_length=150)
    # The employer's own job code; unique per employer when given (empty is NULL, so
    # any number of vacancies may have none). Also the demo data's natural key.
    reference = models.CharField(
        _("your reference"),
        max_length=40,
        null=True,
        blank=True,
        help_text=_("Optional: your internal job code, e.g. HRD-2026-014."),
    )
    # The vacancy's number on Kemnaker's Karirhub, where employers report vacancies (the
    # WLLP duty); the labour-market desk's monthly report lists it.
    karirhub_id = models.CharField(
        _("Karirhub vacancy number"),
        max_length=40,
        blank=True,
        help_text=_(
            "Optional: the number Karirhub (karirhub.kemnaker.go.id) gave this vacancy when "
            "you reported it there (wajib lapor lowongan)."
        ),
    )
    description = models.TextField(
        _("description"),
        validators=[MaxLengthValidator(6000)],
        help_text=_("Plain text; line breaks are kept. Tasks, working hours, what you offer."),
    )
    tracks = models.ManyToManyField(
        "courses.Track",
        verbose_name=_("vocational tracks"),
        related_name="vacancies",
        blank=True,
        help_text=_("Graduates of these tracks are told about the vacancy."),
    )
    min_education = education_field(
        _("minimum education"),
        help_text=_("Empty: no minimum. SMA and SMK count as the same level."),
    )
    required_program = optional_key(
        "courses.Program",
        _("required training certificate"),
        on_delete=models.PROTECT,
        help_text=_("Only holders of this program's certificate can apply."),
    )
    required_scheme = optional_key(
        "courses.CredentialScheme",
        _("required licence or competency certificate"),
        on_delete=models.PROTECT,
        help_text=_("Only holders of a valid credential of this scheme can apply."),
    )
    licence_scheme = optional_key(
        "courses.CredentialScheme",
        _("licence the company applies for after hiring"),
        on_delete=models.PROTECT,
        help_text=_(
            "A K3 licence or SKP the ministry issues on your application once the person "
            "works for you (e.g. SIO forklift): after each hire you are asked to record "
            "its number."
        ),
    )
    openings = bounded_number(_("openings"), default=1, minimum=1)
    employment_type = models.CharField(
        _("employment type"), max_length=10, choices=EmploymentType.choices
    )
    salary_min = models.PositiveIntegerField(_("salary from (Rp a month)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to (Rp a month)"), null=True, blank=True)
    work_location = models.CharField(_("work location"), max_length=200)
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices, db_index=True)
    deadline = models.DateField(
        _("application deadline"), help_text=_("Last day on which people can apply.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, editable=False)
    created_by = actor_field(_("created by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-published_at", "-pk")
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [
            # The public board: published, open, newest first.
            models.Index(fields=["status", "deadline", "-published_at"]),
            models.Index(fields=["employer", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "reference"],
                name="placements_vacancy_reference_unique_per_employer",
                violation_error_message=_("You already have a vacancy with this reference."),
            ),
            models.CheckConstraint(
                condition=models.Q(openings__gte=1), name="placements_vacancy_openings_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="placements_vacancy_salary_range",
                violation_error_message=_("The lowest salary is above the highest salary."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="placements_vacancy_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("placements:vacancy-detail", kwargs={"pk": self.pk})

    @property
    def lowest_salary(self) -> int | None:
        """The lowest monthly amount the vacancy states (None when no salary is given)."""
        if self.salary_min is not None:
            return self.salary_min
        return self.salary_max

    @property
    def below_umk(self) -> bool:
        """Whether the stated salary is below the UMK of Kabupaten Batang (flag, not a rule).

        No salary stated: not flagged (the employer chose not to say). An internship pays
        an allowance rather than a wage; it is flagged too, staff judge it.
        """
        lowest = self.lowest_salary
        return lowest is not None and lowest < umk_batang()

    @property
    def is_editable(self) -> bool:
        """Employers edit drafts and rejected vacancies; a published one is frozen."""
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)

    def is_open_at(self, today=None) -> bool:
        """Published and the deadline not passed (Asia/Jakarta calendar)."""
        today = today or timezone.localdate()
        return self.status == self.Status.PUBLISHED and self.deadline >= today


class VacancyEvent(TransitionEvent):
    """One move of a vacancy through its states: who, when, why."""

    vacancy = TransitionEvent.subject_field(Vacancy, _("vacancy"))
    from_status, to_status = TransitionEvent.status_fields(Vacancy.Status.choices, max_length=10)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("vacancy history entry")
        verbose_name_plural = _("vacancy history")


class SystemReason(models.TextChoices):
    """Reasons the portal gives by itself, translated for the reader."""

    VACANCY_CLOSED = (
        "vacancy_closed",
        _("The vacancy was closed before a decision on your application."),
    )


class JobApplication(ChoiceLabels, models.Model):
    """A job seeker's application to a vacancy.

    What the person brings travels with it as a snapshot taken at apply time
    (`snapshot`: education, training, certificates with their verification links,
    attendance): the employer judges what was sent, the same record the person saw when
    applying. Certificate validity stays live through the public verification page.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEW = "interview", _("Invited to interview")
        OFFERED = "offered", _("Offered the job")
        HIRED = "hired", _("Hired")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("vacancy"),
        on_delete=models.PROTECT,
        related_name="job_applications",
    )
    person = owner_field(_("job seeker"), related_name="job_applications")
    cover_note = models.TextField(
        _("cover note"), validators=[MaxLengthValidator(COVER_NOTE_MAX)], blank=True
    )
    snapshot = models.JSONField(_("profile at apply time"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=Status.choices,
        default=Status.APPLIED,
        editable=False,
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    # First time the application left "applied" by someone other than the applicant:
    # the employer's response time is measured to here.
    first_response_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    # Set when the no-ghosting job told the applicant that nothing moved; a later status
    # change starts a new waiting period.
    no_response_notified_at = models.DateTimeField(
        _("waiting message sent at"), null=True, blank=True
    )
    interview_at = models.DateTimeField(_("interview date and time"), null=True, blank=True)
    interview_place = models.CharField(_("interview place"), max_length=200, blank=True)
    # The employer's words, shown as written; or, when the portal itself decided (the
    # vacancy closed), a code whose sentence is translated for whoever reads it.
    not_selected_reason = models.TextField(_("reason (not selected)"), blank=True)
    not_selected_code = models.CharField(
        _("automatic reason"), max_length=20, choices=SystemReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("job application")
        verbose_name_plural = _("job applications")
        indexes = [
            # Weekly cap and the person's own list.
            models.Index(fields=["person", "created_at"]),
            models.Index(fields=["vacancy", "status"]),
            # The no-ghosting job.
            models.Index(fields=["status", "status_changed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "person"],
                name="placements_one_application_per_person_per_vacancy",
                violation_error_message=_("You already applied to this vacancy."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="not_selected")
                | ~models.Q(not_selected_reason="")
                | ~models.Q(not_selected_code=""),
                name="placements_not_selected_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person} → {self.vacancy}"

    def get_absolute_url(self) -> str:
        return reverse("placements:job-application-detail", kwargs={"pk": self.pk})

    @property
    def is_in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def reason_text(self) -> str:
        """Why the person was not selected, in the reader's language where we wrote it."""
        if self.not_selected_code:
            return str(SystemReason(self.not_selected_code).label)
        return self.not_selected_reason


IN_PROGRESS = frozenset(
    {
        JobApplication.Status.APPLIED,
        JobApplication.Status.SHORTLISTED,
        JobApplication.Status.INTERVIEW,
        JobApplication.Status.OFFERED,
    }
)


class JobApplicationEvent(TransitionEvent):
    """One step in a job application's life, shown to the applicant as a timeline.

    A status change has category "status"; a message without a change (the vacancy
    closed while the process goes on, the no-ghosting reminder) has its own category
    and the same status. `reason` holds the employer's note to the applicant.
    """

    class Category(models.TextChoices):
        STATUS = "status", _("Status change")
        NO_RESPONSE = "no_response", _("No answer yet (automatic message)")
        VACANCY_CLOSED = "vacancy_closed", _("Vacancy closed")

    job_application = TransitionEvent.subject_field(JobApplication, _("job application"))
    category = TransitionEvent.category_field(Category.choices)
    from_status, to_status = TransitionEvent.status_fields(
        JobApplication.Status.choices, max_length=15
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("job application history entry")
        verbose_name_plural = _("job application history")

    # The details a move recorded in `data` (interview: when and where; hired: the first
    # working day and the salary), typed for the history both sides read.
    @property
    def interview_at(self) -> datetime.datetime | None:
        value = (self.data or {}).get("interview_at")
        return datetime.datetime.fromisoformat(value) if value else None

    @property
    def interview_place(self) -> str:
        return (self.data or {}).get("interview_place", "")

    @property
    def start_date(self) -> datetime.date | None:
        value = (self.data or {}).get("start_date")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def salary(self) -> int | None:
        return (self.data or {}).get("salary")

    @property
    def below_umk(self) -> bool:
        return bool((self.data or {}).get("below_umk"))


class Placement(ChoiceLabels, models.Model):
    """A person started work with an employer: through the portal or recorded by staff."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("Hired through the portal")
        OUTSIDE = "outside", _("Recorded by staff (outside the portal)")

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="placements"
    )
    # A portal account when the person has one; staff recording a hire made outside the
    # portal may only know a name. Deleting an account keeps the (anonymous) placement for
    # the statistics.
    person = optional_key(
        settings.AUTH_USER_MODEL, _("person"), on_delete=models.SET_NULL, related_name="placements"
    )
    person_name = models.CharField(
        _("name (if no account)"),
        max_length=150,
        blank=True,
        help_text=_("For people hired outside the portal who have no account."),
    )
    vacancy = optional_key(
        Vacancy, _("vacancy"), on_delete=models.PROTECT, related_name="placements"
    )
    job_application = optional_key(
        JobApplication,
        _("job application"),
        on_delete=models.SET_NULL,
        related_name="placement",
        one_to_one=True,
    )
    start_date = models.DateField(_("start date"))
    salary = models.PositiveIntegerField(_("salary (Rp a month)"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PORTAL
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = actor_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ("-start_date", "-pk")
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(person_name=""),
                name="placements_placement_names_a_person",
                violation_error_message=_("Choose the person's account or write their name."),
            ),
        ]

    def __str__(self):
        return f"{self.person or self.person_name} @ {self.employer}"

    @property
    def below_umk(self) -> bool:
        return self.salary is not None and self.salary < umk_batang()


class JobSeekerPreference(models.Model):
    """What a job seeker agreed to: vacancy alerts by e-mail, being found by employers."""

    user = owner_field(_("account"), related_name="job_preference", one_to_one=True)
    job_alerts = models.BooleanField(
        _("weekly e-mail with matching vacancies"),
        default=False,
        help_text=_("Vacancies for the tracks you trained in, once a week."),
    )
    discoverable = models.BooleanField(
        _("employers may find my training record"),
        default=False,
        help_text=_(
            "Employers with a matching vacancy see your training, education and kecamatan, "
            "never your contact details until you apply."
        ),
    )
    share_credentials = models.BooleanField(
        _("my employers may see my credentials' expiry"),
        default=False,
        help_text=_(
            "The company you work for, or that nominated you for a K3 or competency test, "
            "sees your certificates and licences with their expiry, to renew them in time."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("job preference")
        verbose_name_plural = _("job preferences")

    def __str__(self):
        return str(self.user)


class WorkerNomination(models.Model):
    """An employer nominated one of its workers (by NIK) for a competency assessment or
    K3 refresher; the registration itself is certification's."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="nominations"
    )
    trainee = models.ForeignKey(
        "trainees.Trainee",
        verbose_name=_("worker"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    assessment = models.ForeignKey(
        "courses.Assessment",
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = actor_field(_("nominated by"))
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("worker nomination")
        verbose_name_plural = _("worker nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "trainee", "assessment"], name="placements_nomination_once"
            )
        ]

    def __str__(self):
        return f"{self.employer_id}: {self.trainee_id} → {self.assessment_id}"


# Employer demand and pledges live in their own package; import them so the app's
# registry (and `from placements.models import Pledge`) finds them.
class EmployerLicence(models.Model):
    """A credential in the registry bound to the employer that applied for it (recorded
    by the employer for a worker placed with it): the link that keeps the credential's
    K3 contact current and tells which hires still wait for their licence."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="licences"
    )
    placement = optional_key(
        Placement, _("placement"), on_delete=models.SET_NULL, related_name="licences"
    )
    credential = models.OneToOneField(
        "courses.Credential",
        verbose_name=_("credential"),
        on_delete=models.CASCADE,
        related_name="employer_licence",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence bound to an employer")
        verbose_name_plural = _("licences bound to employers")

    def __str__(self):
        return f"{self.employer_id}: {self.credential_id}"


from .demand.models import (  # noqa: E402
    DemandStatement,
    Pledge,
    PledgeEvent,
    PledgeInvitation,
)

__all__ = [
    "DemandStatement",
    "Employer",
    "EmployerEvent",
    "EmployerMember",
    "JobApplication",
    "JobApplicationEvent",
    "JobSeekerPreference",
    "Placement",
    "PlacementPolicy",
    "WorkerNomination",
    "Pledge",
    "PledgeEvent",
    "PledgeInvitation",
    "Vacancy",
    "VacancyEvent",
]
