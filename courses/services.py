"""Writes of the courses app that carry a rule."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import public_cache_bump
from notifications.services import notification_queue

from .errors import ApplicationError, CohortError
from .models import (
    COHORT_CODE_RE,
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Cohort,
)

# Name of the catalogue's pages in the public page cache (core.cache).
CATALOGUE_CACHE = "catalogue"


def catalogue_public_cache_bump() -> None:
    """Make the cached public catalogue pages stale once the current transaction commits.

    Call it from every write that changes what the catalogue, a program page or the home
    page show: tracks, programs, units, cohorts, and the seats taken in a cohort.
    """
    transaction.on_commit(lambda: public_cache_bump(CATALOGUE_CACHE))


COPIED_FIELDS = (
    "program_id",
    "capacity",
    "location",
    "schedule",
    "uses_document_check",
    "uses_written_test",
    "uses_interview",
    "local_share",
)


def _intake_shift(cohort: Cohort, now: datetime.datetime) -> datetime.timedelta:
    """How far to move the dates: whole weeks, so the copy keeps the weekdays.

    At least the length of the training (the copy starts after the source ends, when
    the workshop is free), and as many such steps as needed for the copy's registration
    to open in the future: copying last year's intake gives the next one from now.
    """
    length_days = (cohort.training_end - cohort.training_start).days + 1
    step = datetime.timedelta(weeks=-(-length_days // 7))
    shift = step
    while cohort.registration_opens_at + shift < now:
        shift += step
    return shift


def _next_code(cohort: Cohort, training_start: datetime.date) -> str:
    """MKT-2026-03 → MKT-2026-04, or MKT-2027-01 when the copy starts in a new year."""
    match = re.match(COHORT_CODE_RE, cohort.code)
    if match is None:
        raise CohortError(
            CohortError.INVALID,
            _("%(code)s does not follow PROGRAM-YEAR-NUMBER; copy this cohort by hand.")
            % {"code": cohort.code},
        )
    width = len(match["number"])
    same_year = training_start.year == int(match["year"])
    number = int(match["number"]) + 1 if same_year else 1
    return f"{match['prefix']}-{training_start.year}-{number:0{width}d}"


def cohort_copy_to_next_intake(*, cohort: Cohort, now: datetime.datetime | None = None) -> Cohort:
    """Create the next intake of `cohort`'s program: same settings, new code and dates.

    Raises CohortError NEXT_CODE_TAKEN when that intake exists already (copy the latest
    one instead) and INVALID when the copy would break a rule of the model.
    """
    now = now or timezone.now()
    shift = _intake_shift(cohort, now)
    training_start = cohort.training_start + shift
    code = _next_code(cohort, training_start)
    copy = Cohort(
        code=code,
        training_start=training_start,
        training_end=cohort.training_end + shift,
        registration_opens_at=cohort.registration_opens_at + shift,
        registration_closes_at=cohort.registration_closes_at + shift,
        reregistration_deadline=(
            cohort.reregistration_deadline + shift if cohort.reregistration_deadline else None
        ),
        **{field: getattr(cohort, field) for field in COPIED_FIELDS},
    )
    taken = CohortError(
        CohortError.NEXT_CODE_TAKEN,
        _("The next intake %(code)s already exists; copy the latest intake instead.")
        % {"code": code},
    )
    if Cohort.objects.filter(code=code).exists():
        raise taken
    try:
        copy.full_clean()
    except ValidationError as exc:
        raise CohortError(CohortError.INVALID, " ".join(exc.messages)) from exc
    try:
        with transaction.atomic(durable=True):
            copy.save()
            catalogue_public_cache_bump()
    except IntegrityError as exc:
        # Two members of staff copied the same cohort at once: the unique code decides.
        raise taken from exc
    return copy


# ------------------------------------------------------------------ applications

S = ApplicationStatus

# The state machine of an application: from a status, where it may go. Only
# `application_transition` assigns `Application.status`, and only along these edges.
# Withdrawal by the applicant is possible at any time before training ends.
ALLOWED: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.DOCUMENTS_VERIFIED, S.NOT_ACCEPTED, S.WITHDRAWN}),
    S.DOCUMENTS_VERIFIED: frozenset({S.ACCEPTED, S.RESERVE, S.NOT_ACCEPTED, S.WITHDRAWN}),
    S.RESERVE: frozenset({S.ACCEPTED, S.NOT_ACCEPTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.WITHDRAWN}),
    S.CONFIRMED: frozenset({S.IN_TRAINING, S.WITHDRAWN}),
    S.IN_TRAINING: frozenset({S.PASSED, S.NOT_PASSED, S.DROPPED_OUT, S.WITHDRAWN}),
    S.NOT_ACCEPTED: frozenset(),
    S.PASSED: frozenset(),
    S.NOT_PASSED: frozenset(),
    S.DROPPED_OUT: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Statuses that must carry a reason the applicant can read.
REASON_REQUIRED = frozenset({S.NOT_ACCEPTED})
# The e-mail sent when an application reaches a status (see notifications/kinds.py).
NOTIFY_ON: dict[str, str] = {
    S.DOCUMENTS_VERIFIED: "application.documents_verified",
    S.ACCEPTED: "application.accepted",
    S.RESERVE: "application.reserve",
    S.NOT_ACCEPTED: "application.not_accepted",
}


def _application_context(application: Application) -> dict:
    return {
        "program": application.cohort.program.title,
        "cohort": application.cohort.code,
        "url": application.get_absolute_url(),
    }


def application_transition(
    *,
    application: Application,
    to: str,
    actor,
    reason: str = "",
    data: dict | None = None,
    context: dict | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Move an application to status `to`: the one door for `Application.status`.

    Checks the edge is in `ALLOWED` (and that "not accepted" has a reason), locks the
    row, records an `ApplicationEvent` (who, when, from, to, why) and queues the e-mail
    for the new status. Not durable: callers (withdrawal, selection, offers) run it inside
    their own transaction, after their own checks and locks. `context` adds keys to the
    e-mail's context (e.g. `confirm_by` for an acceptance). `now`: the moment of the
    change (periodic jobs pass theirs, so a run is consistent with itself).
    """
    from .selection_services import application_after_transition, cohort_seats_check

    to = ApplicationStatus(to)
    reason = (reason or "").strip()
    with transaction.atomic():
        # Lock the cohort row first, then the application: every write path takes them in
        # this order, so seat counts, offers and transitions of one cohort serialise here.
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort__program", "trainee__user")
            .get(pk=application.pk)
        )
        application.cohort = cohort
        current = application.status
        if to not in ALLOWED[current]:
            raise ApplicationError(
                ApplicationError.TRANSITION_NOT_ALLOWED,
                _("An application that is “%(current)s” cannot become “%(to)s”.")
                % {"current": ApplicationStatus(current).label, "to": to.label},
                application=application,
            )
        if to in REASON_REQUIRED and not reason:
            raise ApplicationError(
                ApplicationError.REASON_REQUIRED,
                _("Give the applicant a reason they can read."),
                application=application,
            )
        if to in SEAT_HOLDING_STATUSES and current not in SEAT_HOLDING_STATUSES:
            # Counted inside the cohort lock: two acceptances cannot both see the last seat.
            cohort_seats_check(cohort=cohort, application=application)
        now = now or timezone.now()
        application.status = to
        application.status_changed_at = now
        application.save(update_fields=["status", "status_changed_at", "updated_at"])
        event = ApplicationEvent.objects.create(
            application=application,
            from_status=current,
            to_status=to,
            actor=actor,
            reason=reason,
            data=data or {},
            created_at=now,
        )
        kind = NOTIFY_ON.get(to)
        if kind:
            mail_context = _application_context(application)
            if to in REASON_REQUIRED:
                mail_context["reason"] = reason
            if to == S.ACCEPTED:
                mail_context["confirm_by"] = cohort.reregistration_closes_at
            mail_context.update(context or {})
            notification_queue(
                kind=kind,
                context=mail_context,
                dedup_key=f"{kind}:{application.pk}:{event.pk}",
                recipient=application.trainee.user,
            )
        # Offers follow the status; a freed seat goes to the reserve list (issue 6).
        application_after_transition(
            application=application, cohort=cohort, previous=current, actor=actor, now=now
        )
        # The public pages show seats left: stale only when a seat is taken or freed.
        if (current in SEAT_HOLDING_STATUSES) != (to in SEAT_HOLDING_STATUSES):
            catalogue_public_cache_bump()
    return application


def application_submit(
    *, trainee, cohort: Cohort, motivation: str, actor=None, now=None
) -> Application:
    """Apply for a cohort: every eligibility rule, then one application, one event, one mail.

    Raises ApplicationError NOT_ELIGIBLE (with `.eligibility`, every rule's result) or
    ALREADY_APPLIED (with `.application`, the existing one: a second click lands there).
    """
    from trainees.models import Trainee

    from .eligibility import eligibility_evaluate
    from .selectors import application_list_for_eligibility

    with transaction.atomic(durable=True):
        # Lock the person's profile row: their concurrent submissions (a double click,
        # two tabs) queue up here, so the first wins and the rules below see it.
        trainee = Trainee.objects.select_for_update().select_related("user").get(pk=trainee.pk)
        existing = Application.objects.filter(trainee=trainee, cohort=cohort).first()
        if existing is not None:
            raise ApplicationError(
                ApplicationError.ALREADY_APPLIED,
                _("You have already applied for this cohort."),
                application=existing,
            )
        cohort = Cohort.objects.select_related("program").get(pk=cohort.pk)
        documents = set(trainee.documents.values_list("kind", flat=True))
        eligibility = eligibility_evaluate(
            trainee=trainee,
            cohort=cohort,
            documents=documents,
            other_applications=application_list_for_eligibility(trainee=trainee),
            now=now,
        )
        if not eligibility.eligible:
            raise ApplicationError(
                ApplicationError.NOT_ELIGIBLE,
                _("You cannot apply for this cohort yet: see what to fix."),
                eligibility=eligibility,
            )
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    trainee=trainee,
                    cohort=cohort,
                    motivation=motivation.strip(),
                    facts=_application_facts(trainee, cohort),
                    submitted_by=actor or trainee.user,
                )
        except IntegrityError as exc:
            # The unique (trainee, cohort) constraint is the safety net under the lock.
            existing = Application.objects.get(trainee=trainee, cohort=cohort)
            raise ApplicationError(
                ApplicationError.ALREADY_APPLIED,
                _("You have already applied for this cohort."),
                application=existing,
            ) from exc
        ApplicationEvent.objects.create(
            application=application,
            from_status="",
            to_status=ApplicationStatus.SUBMITTED,
            actor=actor or trainee.user,
            created_at=application.status_changed_at,
        )
        notification_queue(
            kind="application.received",
            context=_application_context(application),
            dedup_key=f"application.received:{application.pk}",
            recipient=trainee.user,
        )
        # No catalogue cache bump: an application takes no seat, and during a
        # registration surge the public pages must stay cached.
    return application


def _application_facts(trainee, cohort: Cohort) -> dict:
    from .eligibility import age_on

    return {
        "age_at_start": age_on(trainee.birth_date, cohort.training_start)
        if trainee.birth_date
        else None,
        "education_level": trainee.education_level,
        "domicile_in_batang": trainee.domicile_in_batang,
        "regency": trainee.regency,
        "kecamatan": trainee.kecamatan,
        "gender": trainee.gender,
        "disability": bool(trainee.disability),
    }


def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    """The applicant withdraws (any time before training ends)."""
    with transaction.atomic(durable=True):
        cohort = application.cohort
        if timezone.localdate() > cohort.training_end:
            raise ApplicationError(
                ApplicationError.WITHDRAW_CLOSED,
                _("The training has ended: this application can no longer be withdrawn."),
                application=application,
            )
        return application_transition(
            application=application, to=ApplicationStatus.WITHDRAWN, actor=actor, reason=reason
        )


def application_can_withdraw(application: Application, *, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        ApplicationStatus.WITHDRAWN in ALLOWED[application.status]
        and today <= application.cohort.training_end
    )
