"""Writes about vacancies: drafting, the moderation state machine, closing.

`vacancy_transition` is the only code that assigns `Vacancy.status`. The public entry
points (`vacancy_submit`, `vacancy_publish`, ...) open a durable transaction, lock the
row, and go through it; every move leaves a `VacancyEvent`.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.cache import public_cache_bump
from core.events import event_record, status_move
from core.formatting import format_rupiah

from ..errors import VacancyError
from ..models import (
    IN_PROGRESS,
    Employer,
    JobApplication,
    JobApplicationEvent,
    SystemReason,
    Vacancy,
    umk_batang,
)
from . import _notify
from .job_applications import job_application_transition

Status = Vacancy.Status

# The one door's map: from -> the states it may go to.
VACANCY_ALLOWED: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.CLOSED},
    # Back to draft: the employer takes a submitted vacancy back to change it.
    Status.SUBMITTED: {Status.PUBLISHED, Status.REJECTED, Status.DRAFT},
    # A rejected vacancy can be corrected and submitted again, or dropped.
    Status.REJECTED: {Status.SUBMITTED, Status.CLOSED},
    Status.PUBLISHED: {Status.CLOSED},
    Status.CLOSED: set(),
}

# Fields the employer fills in (tracks are set separately: many-to-many).
VACANCY_FIELDS = (
    "title",
    "reference",
    "karirhub_id",
    "description",
    "min_education",
    "required_program",
    "required_scheme",
    "licence_scheme",
    "openings",
    "employment_type",
    "salary_min",
    "salary_max",
    "work_location",
    "zone",
    "deadline",
)

PUBLIC_CACHE = "vacancies"


def vacancy_public_pages_bump() -> None:
    """Make the cached public vacancy pages stale once the current transaction commits."""
    # After commit: a page rendered between the bump and the commit would otherwise be
    # cached with the old data.
    transaction.on_commit(partial(public_cache_bump, PUBLIC_CACHE))


# --- Drafting --------------------------------------------------------------------------


def _check_reference(*, employer_id: int, reference: str | None, exclude_pk=None) -> None:
    if not reference:
        return
    taken = Vacancy.objects.filter(employer_id=employer_id, reference=reference)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise VacancyError(
            VacancyError.REFERENCE_TAKEN, _("You already have a vacancy with this reference.")
        )


def vacancy_create(*, employer: Employer, actor: User, data: dict, tracks=()) -> Vacancy:
    """Create a draft for `employer` (the caller made sure `actor` acts for it)."""
    with transaction.atomic(durable=True):
        _check_reference(employer_id=employer.pk, reference=data.get("reference"))
        vacancy = Vacancy(employer=employer, created_by=actor)
        for field in VACANCY_FIELDS:
            if field in data:
                setattr(vacancy, field, data[field])
        vacancy.save()
        vacancy.tracks.set(tracks)
        event_record(subject=vacancy, from_status="", actor=actor)
    return vacancy


def vacancy_update(*, vacancy: Vacancy, data: dict, tracks=None) -> Vacancy:
    """Change a draft or a rejected vacancy; a submitted or published one is frozen."""
    with transaction.atomic(durable=True):
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if not locked.is_editable:
            raise VacancyError(
                VacancyError.NOT_EDITABLE,
                _(
                    "Only drafts and rejected vacancies can be changed. Take a submitted "
                    "vacancy back to draft first; a published one cannot be changed."
                ),
            )
        if "reference" in data:
            _check_reference(
                employer_id=locked.employer_id, reference=data["reference"], exclude_pk=locked.pk
            )
        for field in VACANCY_FIELDS:
            if field in data:
                setattr(locked, field, data[field])
        locked.save()
        if tracks is not None:
            locked.tracks.set(tracks)
    return locked


# --- The door --------------------------------------------------------------------------


def vacancy_transition(
    *, vacancy: Vacancy, to: str, actor: User | None, reason: str = ""
) -> Vacancy:
    """Move a vacancy to `to`; the only code that assigns `Vacancy.status`.

    Call it inside a transaction with the vacancy row locked (the entry points below do).
    `actor` None means the portal itself (the deadline passed).
    """
    from_status = vacancy.status
    if to not in VACANCY_ALLOWED[from_status]:
        raise VacancyError(
            VacancyError.TRANSITION_NOT_ALLOWED,
            _("A vacancy that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to).label},
        )
    reason = (reason or "").strip()
    today = timezone.localdate()
    if to in (Status.SUBMITTED, Status.PUBLISHED) and vacancy.deadline < today:
        raise VacancyError(
            VacancyError.DEADLINE_PASSED,
            _("The application deadline has passed. Set a later deadline first."),
        )
    if to == Status.PUBLISHED and not vacancy.employer.is_verified:
        raise VacancyError(
            VacancyError.EMPLOYER_NOT_VERIFIED,
            _("The employer is not verified yet: verify the company before publishing."),
        )
    if to == Status.PUBLISHED and vacancy.below_umk and not reason:
        raise VacancyError(
            VacancyError.BELOW_UMK_UNCONFIRMED,
            _(
                "The salary (%(salary)s) is below the UMK of Kabupaten Batang (%(umk)s): "
                "confirm with the reason to publish it."
            )
            % {"salary": format_rupiah(vacancy.lowest_salary), "umk": format_rupiah(umk_batang())},
        )
    if to == Status.REJECTED and not reason:
        raise VacancyError(
            VacancyError.REASON_REQUIRED,
            _("Give the employer a reason, so they can correct the vacancy."),
        )

    now = timezone.now()
    if to == Status.SUBMITTED:
        vacancy.submitted_at = now
        vacancy.rejection_reason = ""
    elif to == Status.PUBLISHED:
        vacancy.published_at = now
    elif to == Status.REJECTED:
        vacancy.rejection_reason = reason
    elif to == Status.CLOSED:
        vacancy.closed_at = now
    event = status_move(subject=vacancy, to=to, actor=actor, now=now, reason=reason)

    if to == Status.PUBLISHED:
        _notify.notify_vacancy_published(vacancy=vacancy)
    elif to == Status.REJECTED:
        _notify.notify_vacancy_rejected(vacancy=vacancy, event_id=event.pk)
    elif to == Status.CLOSED and from_status == Status.PUBLISHED:
        _job_applications_on_vacancy_closed(vacancy=vacancy, actor=actor)
    if Status.PUBLISHED in (from_status, to):
        vacancy_public_pages_bump()
    return vacancy


def _job_applications_on_vacancy_closed(*, vacancy: Vacancy, actor: User | None) -> None:
    """Tell everyone still in progress that the vacancy closed.

    Applications not yet past the shortlist end as "not selected" (with a translated
    automatic reason); people invited to an interview or offered the job keep their
    place, since the employer still owes them an answer, and are told so.
    """
    applications = (
        JobApplication.objects.select_for_update(of=("self",))
        .select_related("person", "vacancy__employer")
        .filter(vacancy=vacancy, status__in=IN_PROGRESS)
        .order_by("pk")
    )
    for application in applications:
        early = application.status in (
            JobApplication.Status.APPLIED,
            JobApplication.Status.SHORTLISTED,
        )
        if early:
            application.not_selected_code = SystemReason.VACANCY_CLOSED
            job_application_transition(
                job_application=application,
                to=JobApplication.Status.NOT_SELECTED,
                actor=actor,
                category=JobApplicationEvent.Category.VACANCY_CLOSED,
                notify=False,
            )
        else:
            event_record(
                subject=application,
                category=JobApplicationEvent.Category.VACANCY_CLOSED,
                actor=actor,
            )
        _notify.notify_job_application_vacancy_closed(
            job_application=application, continues=not early
        )


# --- Entry points ----------------------------------------------------------------------


def _move(*, vacancy: Vacancy, to: str, actor: User | None, reason: str = "") -> Vacancy:
    with transaction.atomic(durable=True):
        locked = (
            Vacancy.objects.select_for_update(of=("self",))
            .select_related("employer")
            .get(pk=vacancy.pk)
        )
        return vacancy_transition(vacancy=locked, to=to, actor=actor, reason=reason)


def vacancy_submit(*, vacancy: Vacancy, actor: User) -> Vacancy:
    """The employer asks staff to review the vacancy."""
    return _move(vacancy=vacancy, to=Status.SUBMITTED, actor=actor)


def vacancy_return_to_draft(*, vacancy: Vacancy, actor: User) -> Vacancy:
    """The employer takes a submitted vacancy back to change it."""
    return _move(vacancy=vacancy, to=Status.DRAFT, actor=actor)


def vacancy_publish(*, vacancy: Vacancy, actor: User, below_umk_reason: str = "") -> Vacancy:
    """Staff publish a submitted vacancy of a verified employer.

    A salary below the UMK needs `below_umk_reason` (why it is acceptable, e.g. an
    internship allowance), kept as the reason of the publishing event.
    """
    return _move(vacancy=vacancy, to=Status.PUBLISHED, actor=actor, reason=below_umk_reason)


def vacancy_reject(*, vacancy: Vacancy, actor: User, reason: str) -> Vacancy:
    """Staff send a submitted vacancy back to the employer with a reason."""
    return _move(vacancy=vacancy, to=Status.REJECTED, actor=actor, reason=reason)


def vacancy_close(*, vacancy: Vacancy, actor: User, reason: str = "") -> Vacancy:
    """The employer (or staff) closes a vacancy; applicants still in progress are told."""
    return _move(vacancy=vacancy, to=Status.CLOSED, actor=actor, reason=reason)


def vacancy_close_expired(*, today: datetime.date | None = None) -> int:
    """Close published vacancies whose deadline has passed; return how many closed.

    Periodic and idempotent: a vacancy closed once is no longer published, so a second
    run finds nothing. Each vacancy closes in its own transaction, so one failure does
    not keep the others open.
    """
    today = today or timezone.localdate()
    ids = list(
        Vacancy.objects.filter(status=Status.PUBLISHED, deadline__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in ids:
        with transaction.atomic(durable=True):
            locked = (
                Vacancy.objects.select_for_update(of=("self",))
                .select_related("employer")
                .filter(pk=pk, status=Status.PUBLISHED, deadline__lt=today)
                .first()
            )
            if locked is None:  # closed meanwhile by the employer or a twin run
                continue
            # No actor and no reason: pages say "closed automatically after the
            # deadline" in the reader's language.
            vacancy_transition(vacancy=locked, to=Status.CLOSED, actor=None)
            closed += 1
    return closed
