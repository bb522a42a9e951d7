"""Writes about job applications: applying, the employer's pipeline, no-ghosting.

`job_application_transition` is the only code that assigns `JobApplication.status`;
each move leaves a `JobApplicationEvent` (the applicant's timeline) and, unless the
caller sends a different message, e-mails the job seeker.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.events import event_record, status_move
from core.formatting import format_moment

from .. import selectors
from ..errors import JobApplicationError
from ..models import (
    Employer,
    JobApplication,
    JobApplicationEvent,
    Placement,
    Vacancy,
    placement_policy,
    umk_batang,
)
from . import _notify
from .credentials import placement_licence_request

S = JobApplication.Status

# The one door's map: from -> the states it may go to. Steps may be skipped forward
# (a small employer often calls people straight to an interview), never backwards.
JOB_APPLICATION_ALLOWED: dict[str, set[str]] = {
    S.APPLIED: {S.SHORTLISTED, S.INTERVIEW, S.NOT_SELECTED, S.WITHDRAWN},
    S.SHORTLISTED: {S.INTERVIEW, S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.INTERVIEW: {S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.OFFERED: {S.HIRED, S.NOT_SELECTED, S.WITHDRAWN},
    S.HIRED: set(),
    S.NOT_SELECTED: set(),
    S.WITHDRAWN: set(),
}
# The moves an employer makes; withdrawing is the applicant's alone.
EMPLOYER_MOVES = (S.SHORTLISTED, S.INTERVIEW, S.OFFERED, S.HIRED, S.NOT_SELECTED)
# Waiting on the employer: these get the no-ghosting message when nothing moves.
AWAITING_EMPLOYER = (S.APPLIED, S.SHORTLISTED, S.INTERVIEW)


def _transition_refused(from_status: str, to: str) -> JobApplicationError:
    return JobApplicationError(
        JobApplicationError.TRANSITION_NOT_ALLOWED,
        _("An application that is “%(from)s” cannot become “%(to)s”.")
        % {"from": S(from_status).label, "to": S(to).label},
    )


# --- The door --------------------------------------------------------------------------


def job_application_transition(
    *,
    job_application: JobApplication,
    to: str,
    actor: User | None,
    note: str = "",
    category: str = JobApplicationEvent.Category.STATUS,
    notify: bool = True,
    data: dict | None = None,
) -> JobApplicationEvent:
    """Move a job application to `to`; the only code that assigns its `.status`.

    Call it inside a transaction with the row locked. The caller sets the details that
    belong to the new status first (interview date and place, reason). `notify=False`
    when the caller sends its own message instead (the vacancy closed).
    """
    from_status = job_application.status
    if to not in JOB_APPLICATION_ALLOWED[from_status]:
        raise _transition_refused(from_status, to)
    now = timezone.now()
    # The employer's response time runs until someone other than the applicant acts.
    if (
        job_application.first_response_at is None
        and from_status == S.APPLIED
        and to != S.WITHDRAWN
        and actor is not None
    ):
        job_application.first_response_at = now
    event = status_move(
        subject=job_application,
        to=to,
        actor=actor,
        now=now,
        category=category,
        reason=note,
        data=data,
    )
    if notify and to != S.WITHDRAWN:
        _notify.notify_job_application_status(job_application=job_application, event=event)
    return event


# --- Applying --------------------------------------------------------------------------


def job_application_submit(*, person: User, vacancy: Vacancy, cover_note: str) -> JobApplication:
    """Apply to a vacancy, if the qualification gate lets the person through.

    The person's account row is locked first so two quick submissions (two tabs, a
    double click) are serialised: the weekly cap and the one-per-vacancy rule are
    checked against each other, and the database constraint backs the latter.
    """
    with transaction.atomic(durable=True):
        User.objects.select_for_update().filter(pk=person.pk).first()
        vacancy = Vacancy.objects.select_related("employer", "required_program").get(pk=vacancy.pk)
        gate = selectors.job_application_gate(person=person, vacancy=vacancy)
        if gate.existing is not None:
            raise JobApplicationError(
                JobApplicationError.DUPLICATE,
                _("You already applied to this vacancy."),
                existing=gate.existing,
            )
        if not gate.is_job_seeker:
            raise JobApplicationError(
                JobApplicationError.NOT_A_JOB_SEEKER,
                _("Only job seeker accounts can apply for jobs."),
            )
        if not gate.vacancy_open:
            raise JobApplicationError(
                JobApplicationError.VACANCY_NOT_OPEN,
                _("This vacancy is closed: applications are no longer accepted."),
            )
        if gate.unmet:
            raise JobApplicationError(
                JobApplicationError.NOT_QUALIFIED,
                _("You do not meet every requirement of this vacancy yet."),
                unmet=gate.unmet,
            )
        if gate.cap_reached:
            raise JobApplicationError(
                JobApplicationError.WEEKLY_CAP,
                _(
                    "You have sent %(cap)s job applications in the last 7 days, the most a "
                    "week allows. You can apply again from %(when)s."
                )
                % {
                    "cap": gate.weekly_cap,
                    "when": format_moment(gate.next_slot_at),
                },
            )
        try:
            with transaction.atomic():
                application = JobApplication.objects.create(
                    vacancy=vacancy,
                    person=person,
                    cover_note=cover_note.strip(),
                    snapshot=selectors.job_application_snapshot(person=person),
                )
        except IntegrityError as exc:
            existing = JobApplication.objects.filter(vacancy=vacancy, person=person).first()
            raise JobApplicationError(
                JobApplicationError.DUPLICATE,
                _("You already applied to this vacancy."),
                existing=existing,
            ) from exc
        event_record(
            subject=application, from_status="", actor=person, created_at=application.created_at
        )
    return application


def job_application_withdraw(*, job_application: JobApplication, person: User) -> JobApplication:
    """The job seeker withdraws their own application while it is in progress."""
    with transaction.atomic(durable=True):
        locked = _lock(job_application.pk)
        if locked.person_id != person.pk:
            raise _transition_refused(locked.status, S.WITHDRAWN)
        job_application_transition(job_application=locked, to=S.WITHDRAWN, actor=person)
    return locked


# --- The employer's pipeline -----------------------------------------------------------


def _lock(pk: int) -> JobApplication:
    return (
        JobApplication.objects.select_for_update(of=("self",))
        .select_related("vacancy__employer", "person")
        .get(pk=pk)
    )


def job_application_move(
    *,
    job_application: JobApplication,
    employer: Employer,
    actor: User,
    to: str,
    note: str = "",
    reason: str = "",
    interview_at: datetime.datetime | None = None,
    interview_place: str = "",
    start_date: datetime.date | None = None,
    salary: int | None = None,
) -> JobApplication:
    """The employer moves an applicant of one of its own vacancies one step on.

    Interview needs a date and a place; not selected needs a reason the applicant can
    read; hired needs a start date and records the placement.
    """
    with transaction.atomic(durable=True):
        locked = _lock(job_application.pk)
        # Scoped by the selector already; checked again here because this is the write.
        if locked.vacancy.employer_id != employer.pk or to not in EMPLOYER_MOVES:
            raise _transition_refused(locked.status, to)
        if to not in JOB_APPLICATION_ALLOWED[locked.status]:
            raise _transition_refused(locked.status, to)
        reason = (reason or "").strip()
        interview_place = (interview_place or "").strip()
        if to == S.INTERVIEW:
            if interview_at is None or not interview_place:
                raise JobApplicationError(
                    JobApplicationError.INTERVIEW_DETAILS_REQUIRED,
                    _("Give the interview date, time and place."),
                )
            if interview_at < timezone.now():
                raise JobApplicationError(
                    JobApplicationError.INTERVIEW_DETAILS_REQUIRED,
                    _("The interview date is in the past."),
                )
            locked.interview_at = interview_at
            locked.interview_place = interview_place
        elif to == S.NOT_SELECTED:
            if not reason:
                raise JobApplicationError(
                    JobApplicationError.REASON_REQUIRED,
                    _("Tell the applicant why, in a sentence: it helps them next time."),
                )
            locked.not_selected_reason = reason
        elif to == S.HIRED and start_date is None:
            raise JobApplicationError(
                JobApplicationError.START_DATE_REQUIRED, _("Give the first working day.")
            )
        elif to == S.HIRED and start_date < timezone.localdate(locked.created_at):
            raise JobApplicationError(
                JobApplicationError.START_DATE_BEFORE_APPLICATION,
                _("The first working day cannot be before the application (%(day)s).")
                % {"day": formats.date_format(timezone.localdate(locked.created_at))},
            )
        # What the history shows both sides: the interview's when and where, the hire's
        # start date and salary (flagged when below the UMK).
        details = None
        if to == S.INTERVIEW:
            details = {
                "interview_at": interview_at.isoformat(),
                "interview_place": interview_place,
            }
        elif to == S.HIRED:
            details = {
                "start_date": start_date.isoformat(),
                "salary": salary,
                "below_umk": salary is not None and salary < umk_batang(),
            }
        job_application_transition(
            job_application=locked, to=to, actor=actor, note=note, data=details
        )
        if to == S.HIRED:
            placement = Placement.objects.create(
                employer=employer,
                person=locked.person,
                vacancy=locked.vacancy,
                job_application=locked,
                start_date=start_date,
                salary=salary,
                source=Placement.Source.PORTAL,
                recorded_by=actor,
            )
            placement_licence_request(placement=placement)
    return locked


# --- No ghosting -----------------------------------------------------------------------


def job_application_remind_stale(*, now: datetime.datetime | None = None) -> int:
    """Send the polite "no answer yet" message where the employer let N days pass.

    Periodic and idempotent: an application gets one message per waiting period
    (`no_response_notified_at` is set and the outbox key names the period), and a later
    move by the employer starts a new period. Returns how many messages were queued.
    """
    now = now or timezone.now()
    days = placement_policy().no_response_days
    cutoff = now - timedelta(days=days)
    # An interview in the future is the employer's answer for now: count from its date.
    waiting_since = Coalesce("interview_at", "status_changed_at")
    due = (
        JobApplication.objects.alias(waiting_since=waiting_since)
        .filter(status__in=AWAITING_EMPLOYER, waiting_since__lte=cutoff)
        .filter(
            Q(no_response_notified_at__isnull=True)
            | Q(no_response_notified_at__lt=F("status_changed_at"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic(durable=True):
            locked = _lock(pk)
            if locked.status not in AWAITING_EMPLOYER:
                continue
            since = max(locked.status_changed_at, locked.interview_at or locked.status_changed_at)
            if since > cutoff:
                continue
            if locked.no_response_notified_at and locked.no_response_notified_at >= (
                locked.status_changed_at
            ):
                continue  # already told for this waiting period
            locked.no_response_notified_at = now
            locked.save(update_fields=["no_response_notified_at"])
            event_record(
                subject=locked,
                category=JobApplicationEvent.Category.NO_RESPONSE,
                actor=None,
                created_at=now,
            )
            _notify.notify_job_application_no_response(job_application=locked, days=days)
            sent += 1
    return sent
