"""Reads of the training: attendance, results, the dashboard's progress, certificates.

Selectors other apps use:
- `certificate_list_valid_for(*, trainee)`: the person's certificates that are not
  revoked (the employers' gate in placements asks this);
- `trainee_list_graduates(*, program=None, track=None)`: people holding a valid
  certificate (matching vacancies for graduates);
- `certificate_list_valid_for_user(*, user)`, `certificate_track_ids_by_user(*, track_ids)`:
  the same for an account, and per track (placements' requirements and digests);
- `certificate_get_by_code(*, code)`: the public verification.

The trainer's pages read `cohort_list_for_trainer`, `cohort_get_for_trainer` (404 for an
intake not assigned to the requester) and `trainer_session`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.admissions.rules import TRAINED_STATUSES
from courses.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Certificate,
    Cohort,
    CompetencyUnit,
    SeatOffer,
    TrainingDay,
    UnitResult,
)
from courses.training.rules import training_outcome_suggest
from trainees.models import Trainee

S = ApplicationStatus


def _percent(part: int, whole: int) -> int | None:
    if whole <= 0:
        return None
    return int((Decimal(part * 100) / Decimal(whole)).to_integral_value(ROUND_HALF_UP))


def application_attendance_percent(
    *, application: Application, today: datetime.date | None = None
) -> int | None:
    """Present days / training days held so far (up to `today`), in whole percent.

    A day without a record counts as absent. None before the first training day.
    """
    today = today or timezone.localdate()
    held = TrainingDay.objects.filter(cohort_id=application.cohort_id, date__lte=today).count()
    present = Attendance.objects.filter(
        application=application, present=True, day__date__lte=today
    ).count()
    return _percent(present, held)


def cohort_attendance_percents(
    *, cohort: Cohort, today: datetime.date | None = None
) -> dict[int, int | None]:
    """Application id -> attendance percent for every trainee of the cohort (2 queries)."""
    today = today or timezone.localdate()
    held = TrainingDay.objects.filter(cohort=cohort, date__lte=today).count()
    present = dict(
        Attendance.objects.filter(application__cohort=cohort, present=True, day__date__lte=today)
        .values("application")
        .annotate(n=Count("pk"))
        .values_list("application", "n")
    )
    ids = Application.objects.filter(cohort=cohort, status__in=TRAINED_STATUSES).values_list(
        "pk", flat=True
    )
    return {pk: _percent(present.get(pk, 0), held) for pk in ids}


@dataclass
class AttendanceGrid:
    days: list[TrainingDay]
    trainees: list[Application]
    present: set[tuple[int, int]]  # (day id, application id)
    recorded: set[tuple[int, int]]
    percents: dict[int, int | None]
    today: datetime.date
    editable_day_ids: set[int] = field(default_factory=set)
    # (day id, application id) -> the trainer's name, for marks a trainer recorded.
    by_trainer: dict[tuple[int, int], str] = field(default_factory=dict)


def cohort_attendance_grid(*, cohort: Cohort, today: datetime.date | None = None) -> AttendanceGrid:
    """Days × trainees of a cohort with what is recorded (a fixed number of queries)."""
    today = today or timezone.localdate()
    days = list(TrainingDay.objects.filter(cohort=cohort).order_by("date"))
    trainees = list(
        Application.objects.filter(cohort=cohort, status__in=TRAINED_STATUSES)
        .select_related("trainee__user")
        .order_by("trainee__user__full_name", "pk")
    )
    rows = Attendance.objects.filter(day__cohort=cohort).values_list(
        "day_id",
        "application_id",
        "present",
        "recorded_by__role",
        "recorded_by__full_name",
        "recorded_by__email",
    )
    present, recorded, by_trainer = set(), set(), {}
    for day_id, application_id, is_present, role, name, email in rows:
        recorded.add((day_id, application_id))
        if is_present:
            present.add((day_id, application_id))
        if role == "trainer":
            by_trainer[(day_id, application_id)] = name or email
    return AttendanceGrid(
        days=days,
        trainees=trainees,
        present=present,
        recorded=recorded,
        percents=cohort_attendance_percents(cohort=cohort, today=today),
        today=today,
        editable_day_ids={d.pk for d in days if d.date <= today},
        by_trainer=by_trainer,
    )


def cohort_list_for_trainer(*, user, today: datetime.date | None = None) -> list[Cohort]:
    """The intakes assigned to `user` that are in training, start soon or ended this
    week, soonest first; each with `today_day` (today's training day or None)."""
    today = today or timezone.localdate()
    if not user.is_authenticated or not user.is_trainer:
        return []
    cohorts = list(
        Cohort.objects.filter(
            trainers=user,
            is_cancelled=False,
            training_end__gte=today - datetime.timedelta(days=7),
        )
        .select_related("program")
        .order_by("training_start", "code")
    )
    days = dict(
        TrainingDay.objects.filter(cohort__in=cohorts, date=today).values_list("cohort_id", "pk")
    )
    for cohort in cohorts:
        cohort.today_day_id = days.get(cohort.pk)
    return cohorts


def cohort_get_for_trainer(*, code: str, user) -> Cohort:
    """The intake `code` if it is assigned to `user` (a trainer), else 404."""
    cohort = (
        Cohort.objects.filter(code=code, trainers=user, is_cancelled=False)
        .select_related("program")
        .first()
        if user.is_authenticated and user.is_trainer
        else None
    )
    if cohort is None:
        raise Http404(_("No intake of yours has this code."))
    return cohort


@dataclass
class RosterRow:
    application: Application
    present: bool | None  # None: not recorded yet


@dataclass
class TrainerSession:
    day: TrainingDay | None  # today's training day, None when there is no session today
    next_day: TrainingDay | None
    rows: list[RosterRow]

    @property
    def recorded(self) -> int:
        return sum(1 for row in self.rows if row.present is not None)

    @property
    def present(self) -> int:
        return sum(1 for row in self.rows if row.present)


def trainer_session(*, cohort: Cohort, today: datetime.date | None = None) -> TrainerSession:
    """Today's session of a cohort: the roster of trainees in training and their marks
    (four queries, whatever the class size)."""
    today = today or timezone.localdate()
    day = TrainingDay.objects.filter(cohort=cohort, date=today).first()
    next_day = (
        TrainingDay.objects.filter(cohort=cohort, date__gt=today).order_by("date").first()
        if day is None
        else None
    )
    trainees = list(
        Application.objects.filter(cohort=cohort, status=S.IN_TRAINING)
        .select_related("trainee__user")
        .order_by("trainee__user__full_name", "pk")
    )
    marks = (
        dict(Attendance.objects.filter(day=day).values_list("application_id", "present"))
        if day is not None
        else {}
    )
    rows = [RosterRow(application=a, present=marks.get(a.pk)) for a in trainees]
    return TrainerSession(day=day, next_day=next_day, rows=rows)


@dataclass
class ResultRow:
    application: Application
    attendance_percent: int | None
    results: dict[int, str]  # unit id -> UnitResult.Result value
    suggestion: object  # Suggestion


def cohort_results_grid(*, cohort: Cohort, today: datetime.date | None = None):
    """Units and one row per trainee: attendance, unit results, the suggested outcome."""

    today = today or timezone.localdate()
    units = list(CompetencyUnit.objects.filter(program_id=cohort.program_id).order_by("position"))
    percents = cohort_attendance_percents(cohort=cohort, today=today)
    trainees = list(
        Application.objects.filter(cohort=cohort, status__in=TRAINED_STATUSES)
        .select_related("trainee__user", "certificate")
        .order_by("trainee__user__full_name", "pk")
    )
    results: dict[int, dict[int, str]] = {}
    for application_id, unit_id, value in UnitResult.objects.filter(
        application__cohort=cohort
    ).values_list("application_id", "unit_id", "result"):
        results.setdefault(application_id, {})[unit_id] = value
    rows = []
    for application in trainees:
        own = results.get(application.pk, {})
        rows.append(
            ResultRow(
                application=application,
                attendance_percent=percents.get(application.pk),
                results=own,
                suggestion=training_outcome_suggest(
                    attendance_percent=percents.get(application.pk),
                    results=own,
                    unit_ids=[u.pk for u in units],
                    threshold=cohort.pass_attendance_percent,
                ),
            )
        )
    return units, rows


def applications_attach_progress(
    applications: list[Application], *, now: datetime.datetime | None = None
) -> list[Application]:
    """Attach the selection and training progress the job seeker's dashboard shows.

    A fixed number of queries, whatever the number of applications.

    Sets on each application: `reserve_place` (live place on the reserve list),
    `open_offer` (SeatOffer or None), `attendance_percent`, `unit_results_list` (UnitResult
    rows with units), `certificate_or_none`, `can_confirm` and `confirm_by`.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not applications:
        return applications
    # Each read runs only when some application is at that stage: a dashboard of fresh
    # applications costs nothing extra.
    statuses = {a.status for a in applications}
    trainee_ids = [a.pk for a in applications if a.status in TRAINED_STATUSES]
    offers, certificates, results, held, present = {}, {}, {}, {}, {}
    if S.RESERVE in statuses:
        reserve_ids = [a.pk for a in applications if a.status == S.RESERVE]
        offers = {
            o.application_id: o
            for o in SeatOffer.objects.filter(
                application_id__in=reserve_ids, state=SeatOffer.State.OPEN
            )
        }
    if S.PASSED in statuses:
        passed_ids = [a.pk for a in applications if a.status == S.PASSED]
        certificates = {
            c.application_id: c for c in Certificate.objects.filter(application_id__in=passed_ids)
        }
    if trainee_ids:
        for row in UnitResult.objects.filter(application_id__in=trainee_ids).select_related("unit"):
            results.setdefault(row.application_id, []).append(row)
        cohort_ids = {a.cohort_id for a in applications if a.pk in trainee_ids}
        held = dict(
            TrainingDay.objects.filter(cohort_id__in=cohort_ids, date__lte=today)
            .values("cohort")
            .annotate(n=Count("pk"))
            .values_list("cohort", "n")
        )
        present = dict(
            Attendance.objects.filter(
                application_id__in=trainee_ids, present=True, day__date__lte=today
            )
            .values("application")
            .annotate(n=Count("pk"))
            .values_list("application", "n")
        )
    # Live place on the reserve list: 1 + the people still waiting with a lower position.
    waiting: dict[int, list[int]] = {}
    reserve_cohorts = {a.cohort_id for a in applications if a.status == S.RESERVE}
    if reserve_cohorts:
        for cohort_id, position in Application.objects.filter(
            cohort_id__in=reserve_cohorts, status=S.RESERVE, reserve_position__isnull=False
        ).values_list("cohort_id", "reserve_position"):
            waiting.setdefault(cohort_id, []).append(position)
    for application in applications:
        application.reserve_place = None
        if application.status == S.RESERVE and application.reserve_position:
            ahead = waiting.get(application.cohort_id, [])
            application.reserve_place = 1 + sum(p < application.reserve_position for p in ahead)
        application.open_offer = offers.get(application.pk)
        application.certificate_or_none = certificates.get(application.pk)
        application.unit_results_list = sorted(
            results.get(application.pk, []), key=lambda r: (r.unit.position, r.unit.code)
        )
        application.attendance_percent = (
            _percent(present.get(application.pk, 0), held.get(application.cohort_id, 0))
            if application.status in TRAINED_STATUSES
            else None
        )
        application.confirm_by = application.cohort.reregistration_closes_at
        application.can_confirm = application.status == S.ACCEPTED and now < application.confirm_by
    return applications


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """The certificate a verification code names (case-insensitive), or None."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_get_for_viewer(*, pk: int, user) -> Certificate:
    """The printable certificate: its holder or staff only; anyone else gets 404."""
    queryset = Certificate.objects.select_related("application__trainee__user")
    if not user.is_staff:
        queryset = queryset.filter(application__trainee__user=user)
    certificate = queryset.filter(pk=pk).first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_list_valid_for(*, trainee) -> QuerySet[Certificate]:
    """The person's certificates that are not revoked, newest first."""
    return (
        Certificate.objects.valid()
        .filter(application__trainee=trainee)
        .order_by("-issued_on", "-pk")
    )


def certificate_list_valid_for_user(*, user) -> QuerySet[Certificate]:
    """The valid certificates of the person with this account, with their programs."""
    return (
        Certificate.objects.valid()
        .filter(application__trainee__user=user)
        .select_related("application__cohort__program")
        .order_by("-issued_on", "-pk")
    )


def certificate_track_ids_by_user(*, track_ids) -> dict[int, set[int]]:
    """User id -> those of `track_ids` in which the person holds a valid certificate."""
    rows = (
        Certificate.objects.valid()
        .filter(application__cohort__program__track_id__in=list(track_ids))
        .values_list("application__trainee__user_id", "application__cohort__program__track_id")
    )
    result: dict[int, set[int]] = {}
    for user_id, track_id in rows:
        result.setdefault(user_id, set()).add(track_id)
    return result


def trainee_list_graduates(*, program=None, track=None) -> QuerySet:
    """Job seekers holding a valid certificate (of `program`, or of a program of `track`)."""
    certificates = Certificate.objects.valid().filter(application__trainee=OuterRef("pk"))
    if program is not None:
        certificates = certificates.filter(application__cohort__program=program)
    if track is not None:
        certificates = certificates.filter(application__cohort__program__track=track)
    return Trainee.objects.filter(Exists(certificates)).select_related("user")


def application_list_for_roster(*, cohorts) -> QuerySet[Application]:
    """Applications of cohorts for the roster export, with everything a row shows."""
    return (
        Application.objects.filter(cohort__in=cohorts)
        .select_related("trainee__user", "cohort__program", "certificate")
        .prefetch_related(
            Prefetch("unit_results", queryset=UnitResult.objects.select_related("unit"))
        )
        .order_by("cohort__code", F("selection_rank").asc(nulls_last=True), "pk")
    )


def cohort_roster_table(*, cohorts, today: datetime.date | None = None):
    """Header and rows of the roster and results export of `cohorts` (a fixed query count)."""

    today = today or timezone.localdate()
    applications = list(application_list_for_roster(cohorts=cohorts))
    percents: dict[int, int | None] = {}
    for cohort in {a.cohort for a in applications}:
        percents.update(cohort_attendance_percents(cohort=cohort, today=today))
    header = [
        _("Intake"),
        _("Application number"),
        _("Name"),
        _("E-mail"),
        _("Phone"),
        _("NIK"),
        _("Lives in Kabupaten Batang"),
        _("Status"),
        _("Written test"),
        _("Interview"),
        _("Weighted score"),
        _("Rank"),
        _("Local seat"),
        _("Reserve position"),
        _("Attendance (%)"),
        _("Competency units"),
        _("Certificate"),
    ]
    yes, no = _("yes"), _("no")
    rows = []
    for a in applications:
        user = a.trainee.user
        units = "; ".join(
            f"{r.unit.code}: {'K' if r.result == UnitResult.Result.COMPETENT else 'BK'}"
            for r in sorted(a.unit_results.all(), key=lambda r: (r.unit.position, r.unit.code))
        )
        certificate = getattr(a, "certificate", None)
        certificate_text = ""
        if certificate is not None:
            certificate_text = certificate.number + (
                "" if certificate.is_valid else f" ({_('revoked')})"
            )
        local = (a.facts or {}).get("domicile_in_batang", a.trainee.domicile_in_batang)
        rows.append(
            [
                a.cohort.code,
                a.pk,
                user.full_name,
                user.email or "",
                user.phone,
                a.trainee.nik_masked,
                yes if local else no,
                a.get_status_display(),
                a.written_test_score,
                a.interview_score,
                a.selection_score,
                a.selection_rank,
                yes if a.selection_local_seat else "",
                a.reserve_position,
                percents.get(a.pk),
                units,
                certificate_text,
            ]
        )
    return header, rows
