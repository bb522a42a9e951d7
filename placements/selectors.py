"""Reads of the placements app, scoped by who asks.

Every object reached through a URL comes from a `*_get_for_*` selector that takes the
requester (employer or person) and answers 404 for anything that is not theirs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.choices import EducationLevel
from courses.admissions.rules import TRAINED_STATUSES
from courses.certification.selectors import credential_has_active, credential_list_for_trainees
from courses.models import Application as CourseApplication
from courses.training.selectors.certificates import (
    certificate_list_valid_for_user,
    certificate_track_ids_by_user,
)
from courses.training.selectors.progress import applications_attach_progress
from trainees.models import Trainee
from trainees.selectors import trainee_completeness, trainee_get_for_user

from .models import (
    IN_PROGRESS,
    Employer,
    JobApplication,
    JobApplicationEvent,
    JobSeekerPreference,
    Placement,
    Vacancy,
    placement_policy,
)

JA = JobApplication.Status

# --------------------------------------------------------------------------- employer


def employer_for_user(user: User) -> Employer | None:
    """The employer the account acts for, or None."""
    if not user.is_authenticated or user.role != User.Role.EMPLOYER:
        return None
    return Employer.objects.filter(members__user=user).first()


def employer_get_for_user(user: User) -> Employer:
    """The employer the signed-in account acts for; 403 for anyone else."""
    employer = employer_for_user(user)
    if employer is None:
        raise PermissionDenied(_("This page is for employer accounts."))
    return employer


# ------------------------------------------------------------------------ public board


def vacancy_open_q(*, today: datetime.date | None = None) -> Q:
    """Published and the deadline not passed: the one definition of "open"."""
    today = today or timezone.localdate()
    return Q(status=Vacancy.Status.PUBLISHED, deadline__gte=today)


def vacancy_list_public(
    *,
    track: str = "",
    education: str = "",
    zone: str = "",
    employment_type: str = "",
    q: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Vacancy]:
    """Open vacancies for the public board, newest first, with the given filters.

    `track` is a track slug; `education` is the visitor's own education: the board then
    shows the vacancies whose minimum it meets. One query for the rows whatever the page
    size.
    """
    queryset = Vacancy.objects.filter(vacancy_open_q(today=today)).select_related("employer")
    if track:
        queryset = queryset.filter(tracks__slug=track)
    if education in EducationLevel.values:
        queryset = queryset.filter(
            Q(min_education="") | Q(min_education__in=EducationLevel.values_at_most(education))
        )
    if zone:
        queryset = queryset.filter(zone=zone)
    if employment_type:
        queryset = queryset.filter(employment_type=employment_type)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(
            Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(employer__name__icontains=q)
            | Q(work_location__icontains=q)
        )
    return queryset.order_by("-published_at", "-pk")


def vacancy_get_public(*, pk: int) -> Vacancy:
    """A vacancy as the public sees it: published (open or since closed), else 404.

    Drafts, vacancies waiting for review, rejected ones and ones closed without ever
    being published do not exist for the public.
    """
    return get_object_or_404(
        Vacancy.objects.select_related("employer", "required_program", "required_scheme")
        .prefetch_related("tracks")
        .filter(
            Q(status=Vacancy.Status.PUBLISHED)
            | Q(status=Vacancy.Status.CLOSED, published_at__isnull=False)
        ),
        pk=pk,
    )


# ------------------------------------------------------------------- employer's own


def _status_counts() -> dict:
    return {
        f"count_{status}": Count("job_applications", filter=Q(job_applications__status=status))
        for status in JA.values
    }


def vacancy_list_for_employer(*, employer: Employer) -> QuerySet[Vacancy]:
    """The employer's vacancies with applicant counts per status (`count_<status>`).

    `applicants` is the total; one query whatever the number of vacancies.
    """
    return (
        Vacancy.objects.filter(employer=employer)
        .annotate(applicants=Count("job_applications"), **_status_counts())
        .order_by(
            Case(
                When(status=Vacancy.Status.CLOSED, then=Value(1)),
                default=Value(0),
            ),
            "-created_at",
            "-pk",
        )
    )


def vacancy_get_for_employer(*, pk: int, employer: Employer) -> Vacancy:
    """One of the employer's own vacancies, or 404 (another employer's does not exist)."""
    return get_object_or_404(
        Vacancy.objects.select_related(
            "employer", "required_program", "required_scheme"
        ).prefetch_related("tracks"),
        pk=pk,
        employer=employer,
    )


def vacancy_history(*, vacancy: Vacancy) -> QuerySet:
    return vacancy.events.select_related("actor").order_by("created_at", "pk")


def job_application_list_for_vacancy(
    *, vacancy: Vacancy, status: str = ""
) -> QuerySet[JobApplication]:
    """Applicants of one vacancy (already scoped to its employer by the caller)."""
    queryset = JobApplication.objects.filter(vacancy=vacancy).select_related("person")
    if status in JA.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("created_at", "pk")


def job_application_get_for_employer(*, pk: int, employer: Employer) -> JobApplication:
    """An applicant of one of the employer's own vacancies, or 404."""
    return get_object_or_404(
        JobApplication.objects.select_related(
            "vacancy__employer", "person", "placement"
        ).prefetch_related(
            Prefetch("events", queryset=JobApplicationEvent.objects.select_related("actor"))
        ),
        pk=pk,
        vacancy__employer=employer,
    )


def job_application_list_interviews_for_employer(
    *, employer: Employer, now: datetime.datetime | None = None
) -> QuerySet[JobApplication]:
    """The employer's upcoming interviews across its own vacancies, soonest first (one
    query); an interview earlier today still shows until the day ends."""
    now = now or timezone.now()
    start_of_day = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(now), datetime.time())
    )
    return (
        JobApplication.objects.filter(
            vacancy__employer=employer,
            status=JA.INTERVIEW,
            interview_at__gte=start_of_day,
        )
        .select_related("vacancy", "person")
        .order_by("interview_at", "pk")
    )


def job_application_get_interview_for_employer(*, pk: int, employer: Employer) -> JobApplication:
    """One of the employer's own applicants invited to an interview, or 404."""
    return get_object_or_404(
        JobApplication.objects.select_related("vacancy__employer", "person"),
        pk=pk,
        vacancy__employer=employer,
        status=JA.INTERVIEW,
        interview_at__isnull=False,
    )


# ------------------------------------------------------------------------ job seeker


def job_application_list_for_person(*, person: User) -> QuerySet[JobApplication]:
    """The person's own job applications, newest first, with vacancy and employer."""
    return (
        JobApplication.objects.filter(person=person)
        .select_related("vacancy__employer")
        .order_by("-created_at", "-pk")
    )


def job_application_get_for_person(*, pk: int, person: User) -> JobApplication:
    """One of the person's own job applications, or 404."""
    return get_object_or_404(
        JobApplication.objects.select_related("vacancy__employer", "placement").prefetch_related(
            "events"
        ),
        pk=pk,
        person=person,
    )


def job_preference_for(*, user: User) -> JobSeekerPreference:
    """The person's preferences (unsaved defaults when they never chose)."""
    return JobSeekerPreference.objects.filter(user=user).first() or JobSeekerPreference(user=user)


# ------------------------------------------------------------------- response time


def _response_wait(now: datetime.datetime):
    """How long an application waited for the employer's first answer.

    Answered: until the answer. Still waiting: until now. Ended without an answer (the
    vacancy closed by itself): until it ended. Applications the person withdrew before
    any answer are left out by `_response_counted_q`.
    """
    return ExpressionWrapper(
        Case(
            When(first_response_at__isnull=False, then=F("first_response_at")),
            When(status__in=list(IN_PROGRESS), then=Value(now)),
            default=F("status_changed_at"),
        )
        - F("created_at"),
        output_field=DurationField(),
    )


def _response_counted_q(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}status": JA.WITHDRAWN, f"{prefix}first_response_at__isnull": True})


@dataclass(frozen=True)
class ResponseStats:
    average: timedelta | None
    answered: int
    waiting: int  # still waiting longer than the no-ghosting period
    days: int  # the no-ghosting period

    @property
    def average_days(self) -> float | None:
        if self.average is None:
            return None
        return round(self.average.total_seconds() / 86400, 1)


def employer_response_stats(
    *, employer: Employer, now: datetime.datetime | None = None
) -> ResponseStats:
    """The employer's average time to a first answer, and who waits too long."""
    now = now or timezone.now()
    days = placement_policy().no_response_days
    stale = now - timedelta(days=days)
    # "Waiting" is what the no-ghosting job looks at: not moved for the period (an
    # upcoming interview counts from its date).
    waiting = Q(status__in=[JA.APPLIED, JA.SHORTLISTED, JA.INTERVIEW], waiting_since__lt=stale)
    row = (
        JobApplication.objects.filter(vacancy__employer=employer)
        .filter(_response_counted_q())
        .alias(waiting_since=Coalesce("interview_at", "status_changed_at"))
        .aggregate(
            average=Avg(_response_wait(now)),
            answered=Count("pk", filter=Q(first_response_at__isnull=False)),
            waiting=Count("pk", filter=waiting),
        )
    )
    return ResponseStats(
        average=row["average"], answered=row["answered"], waiting=row["waiting"], days=days
    )


def employer_annotate_response_time(
    queryset: QuerySet[Employer], *, now: datetime.datetime | None = None
) -> QuerySet[Employer]:
    """Annotate `avg_response` (a duration) on employers, for the staff list.

    A correlated aggregate per row would be one subquery each; Django cannot put a
    Case inside an aggregate across a join on every backend, so this groups over the
    join instead (one query for the whole page).
    """
    now = now or timezone.now()
    wait = ExpressionWrapper(
        Case(
            When(
                vacancies__job_applications__first_response_at__isnull=False,
                then=F("vacancies__job_applications__first_response_at"),
            ),
            When(
                vacancies__job_applications__status__in=list(IN_PROGRESS),
                then=Value(now),
            ),
            default=F("vacancies__job_applications__status_changed_at"),
        )
        - F("vacancies__job_applications__created_at"),
        output_field=DurationField(),
    )
    return queryset.annotate(
        avg_response=Avg(wait, filter=_response_counted_q("vacancies__job_applications__")),
    )


# ------------------------------------------------------------- certificates, training


def person_has_certificate_for(*, person: User, program) -> bool:
    """Whether the person holds a valid certificate of `program`."""
    return (
        certificate_list_valid_for_user(user=person)
        .filter(application__cohort__program=program)
        .exists()
    )


def person_certificates(*, person: User) -> list[dict]:
    """The person's valid certificates, as they travel with a job application."""
    result = []
    for certificate in certificate_list_valid_for_user(user=person):
        program = certificate.application.cohort.program
        result.append(
            {
                "number": certificate.number,
                "program": program.title,
                "program_id": program.pk,
                "track_id": program.track_id,
                "cohort": certificate.application.cohort.code,
                "url": certificate.get_absolute_url(),
            }
        )
    return result


def person_graduate_track_ids(*, person: User) -> set[int]:
    return {c["track_id"] for c in person_certificates(person=person)}


def graduates_by_track(*, track_ids) -> dict[int, set[int]]:
    """user id -> the given tracks in which the person holds a valid certificate."""
    track_ids = list(track_ids)
    if not track_ids:
        return {}
    return certificate_track_ids_by_user(track_ids=track_ids)


def person_training_record(*, person: User) -> list[dict]:
    """The person's trainings at the center, as they travel with a job application.

    `status` is the course application's status value (labels are translated when
    shown). `attendance_percent` comes from the attendance recorded in training
    (`courses.training.selectors.progress.applications_attach_progress`); None before
    the first training day.
    """
    applications = list(
        CourseApplication.objects.filter(trainee__user=person, status__in=TRAINED_STATUSES)
        .select_related("cohort__program")
        .order_by("cohort__training_start")
    )
    # Attendance of those in or after training, in a few queries.
    applications_attach_progress(applications)
    rows = []
    for application in applications:
        attendance = getattr(application, "attendance_percent", None)
        rows.append(
            {
                "program": application.cohort.program.title,
                "cohort": application.cohort.code,
                "status": application.status,
                "attendance_percent": attendance if isinstance(attendance, int | float) else None,
            }
        )
    return rows


# ------------------------------------------------------------------ the apply gate


@dataclass(frozen=True)
class Requirement:
    """A requirement of the vacancy the person does not meet, said in their language."""

    code: str
    message: str
    fix_url: str = ""
    fix_label: str = ""


@dataclass
class Gate:
    """Everything the apply page and `job_application_submit` need to decide."""

    is_job_seeker: bool
    vacancy_open: bool
    unmet: list[Requirement] = field(default_factory=list)
    existing: JobApplication | None = None
    weekly_used: int = 0
    weekly_cap: int = 0
    next_slot_at: datetime.datetime | None = None

    @property
    def cap_reached(self) -> bool:
        return self.weekly_used >= self.weekly_cap

    @property
    def allowed(self) -> bool:
        return (
            self.is_job_seeker
            and self.vacancy_open
            and not self.unmet
            and self.existing is None
            and not self.cap_reached
        )


def job_application_unmet_requirements(*, person: User, vacancy: Vacancy) -> list[Requirement]:
    """The vacancy's requirements the person does not meet, each named for the page."""
    unmet: list[Requirement] = []
    profile_url = reverse("trainees:profile")
    trainee = trainee_get_for_user(user=person)
    if trainee is None:
        unmet.append(
            Requirement(
                "profile",
                _("You have no job seeker profile yet."),
                profile_url,
                _("Complete my profile"),
            )
        )
        return unmet
    completeness = trainee_completeness(trainee=trainee)
    if not completeness.complete:
        missing = ", ".join(str(item.label) for item in completeness.missing)
        unmet.append(
            Requirement(
                "profile",
                _("Your profile is not complete. Still missing: %(missing)s.")
                % {"missing": missing},
                profile_url,
                _("Complete my profile"),
            )
        )
    if vacancy.min_education and not EducationLevel.meets(
        trainee.education_level, vacancy.min_education
    ):
        minimum = EducationLevel(vacancy.min_education).label
        if trainee.education_level:
            message = _(
                "This vacancy asks for at least %(minimum)s; your profile says %(have)s."
            ) % {"minimum": minimum, "have": EducationLevel(trainee.education_level).label}
        else:
            message = _(
                "This vacancy asks for at least %(minimum)s; your profile does not say "
                "your education yet."
            ) % {"minimum": minimum}
        unmet.append(Requirement("education", message, profile_url, _("Update my education")))
    if vacancy.required_scheme_id and not credential_has_active(
        user=person, scheme_id=vacancy.required_scheme_id
    ):
        unmet.append(
            Requirement(
                "credential",
                _(
                    "This vacancy asks for a valid “%(scheme)s”, and we find none recorded in "
                    "your name. The STC records licences and competency certificates: bring "
                    "yours to the front desk."
                )
                % {"scheme": vacancy.required_scheme.name},
                reverse("courses:credential-list"),
                _("See my credentials"),
            )
        )
    if vacancy.required_program_id:
        program = vacancy.required_program
        if not person_has_certificate_for(person=person, program=program):
            unmet.append(
                Requirement(
                    "certificate",
                    _(
                        "This vacancy asks for the training certificate “%(program)s”, and "
                        "we find no valid certificate of that program in your name."
                    )
                    % {"program": program.title},
                    program.get_absolute_url(),
                    _("See the training"),
                )
            )
    return unmet


def job_application_weekly_count(
    *, person: User, now: datetime.datetime
) -> tuple[int, datetime.datetime | None]:
    """Applications sent in the 7 days before `now`, and when the oldest one drops out."""
    since = now - timedelta(days=7)
    times = list(
        JobApplication.objects.filter(person=person, created_at__gt=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    return len(times), (times[0] + timedelta(days=7)) if times else None


def job_application_gate(
    *, person: User, vacancy: Vacancy, now: datetime.datetime | None = None
) -> Gate:
    """Decide whether `person` may apply to `vacancy` now, and say why not."""
    now = now or timezone.now()
    is_job_seeker = person.is_authenticated and person.role == User.Role.JOB_SEEKER
    gate = Gate(
        is_job_seeker=is_job_seeker,
        vacancy_open=vacancy.is_open_at(timezone.localdate(now)),
        weekly_cap=placement_policy().weekly_cap,
    )
    if not is_job_seeker:
        return gate
    gate.existing = JobApplication.objects.filter(vacancy=vacancy, person=person).first()
    gate.unmet = job_application_unmet_requirements(person=person, vacancy=vacancy)
    gate.weekly_used, gate.next_slot_at = job_application_weekly_count(person=person, now=now)
    return gate


def job_application_snapshot(*, person: User) -> dict:
    """What travels with a job application: taken once, at apply time.

    A snapshot (not a live link) so the employer judges what the person sent, and a
    later profile edit does not rewrite an application already read. Certificates keep
    a link to their public verification page, which stays live (a revoked certificate
    shows as revoked). Never the NIK or the documents: employers do not need them.
    """
    trainee = trainee_get_for_user(user=person)
    profile: dict = {}
    if trainee is not None:
        profile = {
            "education_level": trainee.education_level,
            "major": trainee.major,
            "school": trainee.school,
            "graduation_year": trainee.graduation_year,
            "regency": trainee.regency,
            "kecamatan": trainee.kecamatan,
            "domicile_in_batang": trainee.domicile_in_batang,
            "current_activity": trainee.current_activity,
        }
    return {
        "taken_at": timezone.now().isoformat(),
        "full_name": person.full_name,
        "email": person.email or "",
        "phone": getattr(person, "phone", "") or "",
        "profile": profile,
        "certificates": person_certificates(person=person),
        "training": person_training_record(person=person),
    }


# ------------------------------------------------------------------------ matching


def discoverable_graduates_for_vacancy(*, vacancy: Vacancy) -> list[dict]:
    """Graduates of the vacancy's tracks who agreed to be found, without contact data.

    Each row: first name, education, kecamatan, the matching certificates' programs, and
    whether they applied already (then the employer sees them in the applicant list).
    """
    track_ids = [t.pk for t in vacancy.tracks.all()]
    by_user = graduates_by_track(track_ids=track_ids)
    if not by_user:
        return []
    discoverable = set(
        JobSeekerPreference.objects.filter(
            user_id__in=list(by_user), discoverable=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    applied = set(
        JobApplication.objects.filter(vacancy=vacancy, person_id__in=discoverable).values_list(
            "person_id", flat=True
        )
    )
    trainees = Trainee.objects.filter(user_id__in=discoverable).select_related("user")
    rows = []
    for trainee in trainees.order_by("user__full_name"):
        first_name = (trainee.user.full_name or "").split(" ")[0] or _("(no name)")
        rows.append(
            {
                "first_name": first_name,
                "education": trainee.get_education_level_display(),
                "kecamatan": trainee.get_kecamatan_display() or trainee.get_regency_display(),
                "domicile_in_batang": trainee.domicile_in_batang,
                "applied": trainee.user_id in applied,
            }
        )
    return rows


# ---------------------------------------------------------------- staff work queue


def vacancy_moderation_summary() -> dict:
    """Vacancies waiting for review: `n`, `oldest` (first submitted) and `below_umk` (those
    offering less than the UMK), in one query."""
    umk = placement_policy().umk
    return Vacancy.objects.filter(status=Vacancy.Status.SUBMITTED).aggregate(
        n=Count("pk"),
        oldest=Min("submitted_at"),
        below_umk=Count("pk", filter=_below_umk_q(umk)),
    )


def employer_verification_summary() -> dict:
    """Employers not verified yet: `n` and `oldest` (first registered), in one query."""
    return Employer.objects.filter(verified_at__isnull=True).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )


def _below_umk_q(umk: int) -> Q:
    """SQL twin of `Vacancy.below_umk`: the lowest stated amount is under the UMK."""
    return Q(salary_min__lt=umk) | Q(salary_min__isnull=True, salary_max__lt=umk)


# ------------------------------------------------------------------ credentials


def employer_people_trainee_ids(*, employer: Employer) -> list[int]:
    """The people whose credentials the employer may see: placed with it or nominated by
    it, and who agreed (`JobSeekerPreference.share_credentials`)."""
    from .models import WorkerNomination

    placed = Placement.objects.filter(employer=employer, person__isnull=False).values("person_id")
    nominated = WorkerNomination.objects.filter(employer=employer).values("trainee__user_id")
    consenting = JobSeekerPreference.objects.filter(share_credentials=True).values("user_id")
    return list(
        Trainee.objects.filter(
            Q(user_id__in=placed) | Q(user_id__in=nominated), user_id__in=consenting
        ).values_list("pk", flat=True)
    )


def employer_credentials_expiring(*, employer: Employer, within_days: int = 90):
    """Credentials of the employer's people expiring within `within_days` (or expired in
    the last month), soonest first, with their derived status (two queries)."""
    return credential_list_for_trainees(
        trainee_ids=employer_people_trainee_ids(employer=employer), within_days=within_days
    )


def placement_list_waiting_for_licence(
    *, queryset: QuerySet[Placement] | None = None
) -> QuerySet[Placement]:
    """Hires for jobs that need a licence (`Vacancy.licence_scheme`) with no licence of
    that scheme bound to them yet, among `queryset` (default: every placement).

    One definition for the employer's to-do and the staff's admin filter. Only people
    with a profile count: a licence is recorded for a profile.
    """
    from .models import EmployerLicence

    recorded = EmployerLicence.objects.filter(
        placement=OuterRef("pk"), credential__scheme=OuterRef("vacancy__licence_scheme")
    )
    queryset = Placement.objects.all() if queryset is None else queryset
    return queryset.filter(
        vacancy__licence_scheme__isnull=False, person__trainee__isnull=False
    ).exclude(Exists(recorded))


def employer_licences_to_record(*, employer: Employer) -> QuerySet[Placement]:
    """The employer's hires for jobs that need a licence whose licence is not recorded
    yet (one query): the employer's to-do after each such hire."""
    return (
        placement_list_waiting_for_licence(queryset=Placement.objects.filter(employer=employer))
        .select_related("vacancy__licence_scheme", "person__trainee")
        .order_by("-start_date", "-pk")
    )


def employer_people_placed(*, employer: Employer) -> QuerySet[Trainee]:
    """The people placed with the employer who have a profile (for recording licences)."""
    placed = Placement.objects.filter(employer=employer, person__isnull=False).values("person_id")
    return (
        Trainee.objects.filter(user_id__in=placed)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
