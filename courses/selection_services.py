"""Writes of the selection (issue 6): seats, scores, the selection run, offers, daftar ulang.

Every status change goes through `courses.services.application_transition` (the one
door), which locks the cohort row, counts seats inside the lock (`cohort_seats_check`)
and calls `application_after_transition` so that a freed seat is offered to the reserve
list. Locks are always taken cohort first, then applications, then offers.

Seats: applications that are accepted, confirmed or in training, plus open offers (a
seat held for the person on the reserve list while they decide), never exceed the
cohort's capacity.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from notifications.services import notification_queue

from . import selection as ranking
from .errors import ApplicationError, OfferError, SelectionError
from .models import (
    SCORE_INTERVIEW,
    SCORE_WRITTEN_TEST,
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    Cohort,
    SeatOffer,
    SelectionRun,
)
from .selectors import cohort_count_seats_committed

S = ApplicationStatus
SCORE_FIELDS = {SCORE_WRITTEN_TEST: "written_test_score", SCORE_INTERVIEW: "interview_score"}
# Scores may change until the applicant has been ranked.
SCORABLE = frozenset({S.SUBMITTED, S.DOCUMENTS_VERIFIED})


def _transition(**kwargs):
    from .services import application_transition

    return application_transition(**kwargs)


@contextlib.contextmanager
def in_language_of(application: Application):
    """Write sentences the applicant reads (reasons) in the applicant's language."""
    language = getattr(application.trainee.user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        yield


def _local_datetime(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _lock_cohort(cohort_id: int) -> Cohort:
    return Cohort.objects.select_for_update().select_related("program").get(pk=cohort_id)


# ------------------------------------------------------------------------------ seats


def cohort_seats_check(*, cohort: Cohort, application: Application) -> None:
    """Refuse to give `application` a seat when none is free; the cohort row is locked."""
    committed = cohort_count_seats_committed(cohort=cohort, exclude_offer_of=application)
    if committed >= cohort.capacity:
        raise ApplicationError(
            ApplicationError.COHORT_FULL,
            _("%(cohort)s is full: all %(capacity)d seats are taken or offered.")
            % {"cohort": cohort.code, "capacity": cohort.capacity},
            application=application,
        )


def application_after_transition(
    *, application: Application, cohort: Cohort, previous: str, actor, now: datetime.datetime
) -> None:
    """Keep offers in step with a status change; offer a seat the change freed.

    Called by the door inside its transaction, with the cohort row locked.
    """
    freed = previous in SEAT_HOLDING_STATUSES and application.status not in SEAT_HOLDING_STATUSES
    offer = SeatOffer.objects.filter(application=application, state=SeatOffer.State.OPEN).first()
    if offer is not None:
        if application.status == S.ACCEPTED:
            seat_offer_close(offer=offer, state=SeatOffer.State.ACCEPTED, actor=actor, now=now)
        elif application.status != S.RESERVE:
            # Off the reserve list (withdrawn, not accepted): the held seat is free again.
            seat_offer_close(offer=offer, state=SeatOffer.State.CANCELLED, actor=actor, now=now)
            freed = True
    if freed:
        cohort_offer_free_seats(cohort=cohort, now=now)


# ----------------------------------------------------------------------------- offers

OFFER_ALLOWED = {
    SeatOffer.State.OPEN: frozenset(
        {
            SeatOffer.State.ACCEPTED,
            SeatOffer.State.DECLINED,
            SeatOffer.State.EXPIRED,
            SeatOffer.State.CANCELLED,
        }
    ),
}


def seat_offer_close(*, offer: SeatOffer, state: str, actor, now: datetime.datetime) -> SeatOffer:
    """The one door for `SeatOffer.state`: an open offer ends once, in one of four ways."""
    if state not in OFFER_ALLOWED.get(offer.state, frozenset()):
        raise OfferError(OfferError.NOT_OPEN, _("This seat offer is no longer open."))
    offer.state = state
    offer.closed_at = now
    offer.closed_by = actor
    offer.save(update_fields=["state", "closed_at", "closed_by"])
    # An open offer holds a seat: the public "seats left" changes when it closes.
    from .services import catalogue_public_cache_bump

    catalogue_public_cache_bump()
    return offer


def _offer_expiry(cohort: Cohort, now: datetime.datetime) -> datetime.datetime:
    """Now plus the cohort's offer time, but never past the start of training."""
    return min(now + datetime.timedelta(hours=cohort.offer_valid_hours), cohort.training_starts_at)


def cohort_offer_free_seats(*, cohort: Cohort, now: datetime.datetime) -> list[SeatOffer]:
    """Offer every free seat to the next people on the reserve list, in order.

    The caller holds the cohort row lock. No offers for a cancelled cohort or once
    training has started (a late joiner cannot catch up).
    """
    if cohort.is_cancelled or cohort.has_started(now):
        return []
    expires_at = _offer_expiry(cohort, now)
    if expires_at <= now:
        return []
    free = cohort.capacity - cohort_count_seats_committed(cohort=cohort)
    if free <= 0:
        return []
    waiting = (
        Application.objects.filter(cohort=cohort, status=S.RESERVE)
        .exclude(offers__state=SeatOffer.State.OPEN)
        .select_related("trainee__user", "cohort__program")
        .order_by(F("reserve_position").asc(nulls_last=True), "pk")[:free]
    )
    offers = []
    for application in waiting:
        offer = SeatOffer.objects.create(
            application=application, cohort=cohort, expires_at=expires_at, created_at=now
        )
        notification_queue(
            kind="application.seat_offered",
            context={
                "program": cohort.program.title,
                "cohort": cohort.code,
                "expires_at": expires_at,
                "url": offer.get_absolute_url(),
            },
            dedup_key=f"application.seat_offered:{offer.pk}",
            recipient=application.trainee.user,
        )
        offers.append(offer)
    if offers:
        from .services import catalogue_public_cache_bump

        catalogue_public_cache_bump()
    return offers


def _lock_offer(offer_id: int) -> tuple[Cohort, SeatOffer]:
    cohort_id = SeatOffer.objects.values_list("cohort_id", flat=True).get(pk=offer_id)
    cohort = _lock_cohort(cohort_id)
    offer = (
        SeatOffer.objects.select_for_update(of=("self",))
        .select_related("application__trainee__user")
        .get(pk=offer_id)
    )
    return cohort, offer


def seat_offer_accept(*, offer: SeatOffer, actor, now: datetime.datetime | None = None):
    """The person on the reserve list takes the offered seat.

    Accepting an offer is also the re-registration (daftar ulang): the application goes
    reserve → accepted → confirmed in one transaction, both steps on the timeline.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort, offer = _lock_offer(offer.pk)
        if offer.state != SeatOffer.State.OPEN:
            raise OfferError(OfferError.NOT_OPEN, _("This seat offer is no longer open."))
        if now >= offer.expires_at or cohort.has_started(now):
            raise OfferError(
                OfferError.EXPIRED,
                _("This seat offer expired on %(when)s.")
                % {"when": _local_datetime(offer.expires_at)},
            )
        application = offer.application
        with in_language_of(application):
            accepted_reason = _("Accepted the seat offered from the reserve list.")
            confirmed_reason = _("Accepting the seat offer counts as re-registration.")
        application = _transition(
            application=application,
            to=S.ACCEPTED,
            actor=actor,
            reason=accepted_reason,
            data={"offer": offer.pk},
            now=now,
        )
        return _transition(
            application=application,
            to=S.CONFIRMED,
            actor=actor,
            reason=confirmed_reason,
            data={"offer": offer.pk},
            now=now,
        )


def seat_offer_decline(*, offer: SeatOffer, actor, now: datetime.datetime | None = None):
    """The person declines: they leave the reserve list and the seat goes to the next."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort, offer = _lock_offer(offer.pk)
        if offer.state != SeatOffer.State.OPEN:
            raise OfferError(OfferError.NOT_OPEN, _("This seat offer is no longer open."))
        seat_offer_close(offer=offer, state=SeatOffer.State.DECLINED, actor=actor, now=now)
        with in_language_of(offer.application):
            reason = _("Declined the seat offered from the reserve list.")
        application = _transition(
            application=offer.application,
            to=S.WITHDRAWN,
            actor=actor,
            reason=reason,
            data={"offer": offer.pk},
            now=now,
        )
        cohort_offer_free_seats(cohort=cohort, now=now)
        return application


def seat_offers_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Expire open offers past their time and pass each seat on; safe to run twice.

    An applicant who let the offer lapse is not accepted, with the reason, so the list
    keeps moving instead of waiting for someone unreachable.
    """
    now = now or timezone.now()
    cohort_ids = (
        SeatOffer.objects.filter(state=SeatOffer.State.OPEN, expires_at__lte=now)
        .values_list("cohort_id", flat=True)
        .distinct()
        .order_by("cohort_id")
    )
    expired = 0
    for cohort_id in list(cohort_ids):
        with transaction.atomic(durable=True):
            cohort = _lock_cohort(cohort_id)
            due = (
                SeatOffer.objects.select_for_update(of=("self",))
                .filter(cohort=cohort, state=SeatOffer.State.OPEN, expires_at__lte=now)
                .select_related("application__trainee__user")
                .order_by("pk")
            )
            for offer in due:
                seat_offer_close(offer=offer, state=SeatOffer.State.EXPIRED, actor=None, now=now)
                with in_language_of(offer.application):
                    reason = _(
                        "You did not answer the seat offer by %(when)s, so it passed to "
                        "the next person on the reserve list."
                    ) % {"when": _local_datetime(offer.expires_at)}
                _transition(
                    application=offer.application,
                    to=S.NOT_ACCEPTED,
                    actor=None,
                    reason=reason,
                    data={"offer": offer.pk},
                    now=now,
                )
                expired += 1
            cohort_offer_free_seats(cohort=cohort, now=now)
    return expired


# ------------------------------------------------------------------ re-registration


def application_confirm(*, application: Application, actor, now: datetime.datetime | None = None):
    """Daftar ulang: an accepted applicant confirms the seat by the cohort's deadline."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort = _lock_cohort(application.cohort_id)
        if now >= cohort.reregistration_closes_at:
            raise ApplicationError(
                ApplicationError.REREGISTRATION_CLOSED,
                _("Re-registration closed on %(when)s.")
                % {"when": _local_datetime(cohort.reregistration_closes_at)},
                application=application,
            )
        return _transition(application=application, to=S.CONFIRMED, actor=actor, now=now)


def reregistrations_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Withdraw accepted applicants who missed the re-registration deadline; safe twice.

    Their seats go to the reserve list through the door (no offers once training
    started, which is the deadline of a cohort without one).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due_cohorts = (
        Cohort.objects.filter(applications__status=S.ACCEPTED)
        .filter(
            Q(reregistration_deadline__lte=now)
            | Q(reregistration_deadline__isnull=True, training_start__lte=today)
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    withdrawn = 0
    for cohort_id in list(due_cohorts):
        with transaction.atomic(durable=True):
            cohort = _lock_cohort(cohort_id)
            if now < cohort.reregistration_closes_at:
                continue
            late = (
                Application.objects.filter(cohort=cohort, status=S.ACCEPTED)
                .select_related("trainee__user")
                .order_by("pk")
            )
            for application in late:
                with in_language_of(application):
                    reason = _("Did not re-register by %(when)s.") % {
                        "when": _local_datetime(cohort.reregistration_closes_at)
                    }
                _transition(
                    application=application, to=S.WITHDRAWN, actor=None, reason=reason, now=now
                )
                withdrawn += 1
    return withdrawn


def cohorts_start_training(*, now: datetime.datetime | None = None) -> int:
    """On the first training day: confirmed → in training; close the reserve list.

    Open offers are cancelled and people still on the reserve list are told no seat
    came free. Cohorts already finished are left alone. Safe to run twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    started = (
        Cohort.objects.filter(
            is_cancelled=False, training_start__lte=today, training_end__gte=today
        )
        .filter(applications__status__in=[S.CONFIRMED, S.RESERVE])
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    moved = 0
    for cohort_id in list(started):
        with transaction.atomic(durable=True):
            cohort = _lock_cohort(cohort_id)
            offers = SeatOffer.objects.select_for_update(of=("self",)).filter(
                cohort=cohort, state=SeatOffer.State.OPEN
            )
            for offer in offers:
                seat_offer_close(offer=offer, state=SeatOffer.State.CANCELLED, actor=None, now=now)
            waiting = (
                Application.objects.filter(cohort=cohort, status__in=[S.CONFIRMED, S.RESERVE])
                .select_related("trainee__user")
                .order_by("pk")
            )
            for application in waiting:
                if application.status == S.CONFIRMED:
                    _transition(application=application, to=S.IN_TRAINING, actor=None, now=now)
                else:
                    with in_language_of(application):
                        reason = _(
                            "Training has started and no seat came free for you. You are "
                            "welcome to apply for a next intake."
                        )
                    _transition(
                        application=application,
                        to=S.NOT_ACCEPTED,
                        actor=None,
                        reason=reason,
                        now=now,
                    )
                moved += 1
    return moved


@dataclass
class SweepReport:
    offers_expired: int = 0
    reregistrations_missed: int = 0
    training_started: int = 0


def selection_sweep(*, now: datetime.datetime | None = None) -> SweepReport:
    """The periodic job: expire offers, then missed re-registrations, then start training.

    Each step is idempotent (a second run finds nothing left to do), so a beat tick that
    runs twice, or a task redelivered after a worker crash, changes nothing more.
    """
    now = now or timezone.now()
    return SweepReport(
        offers_expired=seat_offers_expire_due(now=now),
        reregistrations_missed=reregistrations_expire_due(now=now),
        training_started=cohorts_start_training(now=now),
    )


def _application_mail_context(application: Application) -> dict:
    return {
        "program": application.cohort.program.title,
        "cohort": application.cohort.code,
        "url": application.get_absolute_url(),
    }


def reminders_queue(*, now: datetime.datetime | None = None) -> int:
    """Queue the day-before re-registration reminders and the 3-days-before start reminders.

    The de-duplication key names the application and the date, so running it again the
    same day (or twice in a row) queues nothing more.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    # The deadline's local date needs the cohort's two fields: filter in Python over the
    # few accepted applications of cohorts that have not started.
    candidates = (
        Application.objects.filter(status=S.ACCEPTED, cohort__training_start__gt=today)
        .select_related("cohort__program", "trainee__user")
        .order_by("pk")
    )
    for application in candidates:
        deadline = application.cohort.reregistration_closes_at
        if timezone.localdate(deadline) != today + datetime.timedelta(days=1):
            continue
        notification_queue(
            kind="application.reregistration_reminder",
            context={**_application_mail_context(application), "deadline": deadline},
            dedup_key=(
                f"application.reregistration_reminder:{application.pk}:"
                f"{timezone.localdate(deadline)}"
            ),
            recipient=application.trainee.user,
        )
        queued += 1
    starting = (
        Application.objects.filter(
            status=S.CONFIRMED,
            cohort__training_start=today + datetime.timedelta(days=3),
            cohort__is_cancelled=False,
        )
        .select_related("cohort__program", "trainee__user")
        .order_by("pk")
    )
    for application in starting:
        cohort = application.cohort
        notification_queue(
            kind="cohort.start_reminder",
            context={
                **_application_mail_context(application),
                "starts_on": cohort.training_start,
                "location": cohort.location,
            },
            dedup_key=f"cohort.start_reminder:{application.pk}:{cohort.training_start}",
            recipient=application.trainee.user,
        )
        queued += 1
    return queued


# ----------------------------------------------------------------------------- scores


def _parse_score(value) -> Decimal | None:
    """A score from a form or a file cell: empty → None; else a number 0–100."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        text = str(value)
    else:
        text = str(value).strip().replace(",", ".")
    if text == "":
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(
            ApplicationError.SCORE_INVALID,
            _("“%(value)s” is not a number.") % {"value": value},
        ) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ApplicationError(
            ApplicationError.SCORE_INVALID,
            _("A score is between 0 and 100; “%(value)s” is not.") % {"value": value},
        )
    return score.quantize(Decimal("0.01"))


def application_scores_set(
    *, application: Application, actor, written_test=None, interview=None, clear=False
) -> Application:
    """Enter scores (0–100) for an applicant not yet ranked.

    A value of None leaves that score as it is, unless `clear` (a form that sends every
    field) sets it empty. Not durable: the admin saves through it, the import runs many
    rows in one transaction.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in SCORABLE:
            raise ApplicationError(
                ApplicationError.SCORES_LOCKED,
                _("Scores can no longer change: the application is “%(status)s”.")
                % {"status": application.get_status_display()},
                application=application,
            )
        changed = []
        for stage, value in ((SCORE_WRITTEN_TEST, written_test), (SCORE_INTERVIEW, interview)):
            score = _parse_score(value)
            if score is None and not clear:
                continue
            field_name = SCORE_FIELDS[stage]
            if getattr(application, field_name) != score:
                setattr(application, field_name, score)
                changed.append(field_name)
        if changed:
            application.save(update_fields=[*changed, "updated_at"])
    return application


@dataclass
class ImportRow:
    line: int
    applicant: str
    ok: bool
    message: str


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def imported(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def failed(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]


def cohort_scores_import(*, cohort: Cohort, rows: list[dict], actor) -> ImportReport:
    """Set scores from parsed file rows; every row is reported as imported or failed.

    A row names its applicant by `application` (the application number), `nik` or
    `email`, and carries `written_test` and/or `interview` (empty: unchanged). Good rows
    are saved even when others fail, so staff fix only the failed rows and import again
    (importing the same file twice gives the same scores).
    """
    from trainees.nik import nik_normalize

    report = ImportReport()
    with transaction.atomic(durable=True):
        _lock_cohort(cohort.pk)
        applications = list(
            Application.objects.filter(cohort=cohort).select_related("trainee__user")
        )
        by_id = {a.pk: a for a in applications}
        by_nik = {a.trainee.nik: a for a in applications if a.trainee.nik}
        by_email = {a.trainee.user.email.lower(): a for a in applications}
        seen: dict[int, int] = {}
        for row in rows:
            line = row.get("line", 0)
            key = (row.get("application") or row.get("nik") or row.get("email") or "").strip()
            application = None
            if row.get("application"):
                number = str(row["application"]).strip().lstrip("#")
                if number.isdigit():
                    application = by_id.get(int(number))
            elif row.get("nik"):
                application = by_nik.get(nik_normalize(str(row["nik"])))
            elif row.get("email"):
                application = by_email.get(str(row["email"]).strip().lower())
            if application is None:
                message = (
                    _("No application in %(cohort)s matches “%(key)s”.")
                    % {"cohort": cohort.code, "key": key}
                    if key
                    else _("The row names no applicant (application number, NIK or e-mail).")
                )
                report.rows.append(ImportRow(line, key, False, message))
                continue
            label = f"#{application.pk} {application.trainee.user.full_name}".strip()
            if application.pk in seen:
                report.rows.append(
                    ImportRow(
                        line,
                        label,
                        False,
                        _("The same applicant is on line %(line)s already; this row is ignored.")
                        % {"line": seen[application.pk]},
                    )
                )
                continue
            seen[application.pk] = line
            written, interview = row.get("written_test"), row.get("interview")
            if all(v in (None, "") for v in (written, interview)):
                report.rows.append(ImportRow(line, label, False, _("The row has no score.")))
                continue
            try:
                with transaction.atomic():
                    application_scores_set(
                        application=application,
                        actor=actor,
                        written_test=written,
                        interview=interview,
                    )
            except ApplicationError as error:
                report.rows.append(ImportRow(line, label, False, error.message))
                continue
            report.rows.append(ImportRow(line, label, True, _("Scores saved.")))
    return report


# ---------------------------------------------------------------------- selection run


@dataclass
class SelectionPlan:
    """What a selection run would do now: the preview, and the run's input."""

    cohort: Cohort
    applications: dict[int, Application]
    rules: ranking.Rules | None
    result: ranking.Result | None
    missing: dict[int, tuple[str, ...]]
    fingerprint: str
    blocker: SelectionError | None = None


def _candidate(application: Application) -> ranking.Candidate:
    facts = application.facts or {}
    local = facts.get("domicile_in_batang")
    if local is None:
        local = application.trainee.domicile_in_batang
    return ranking.Candidate(
        application_id=application.pk,
        local=bool(local),
        scores={
            SCORE_WRITTEN_TEST: application.written_test_score,
            SCORE_INTERVIEW: application.interview_score,
        },
    )


def cohort_selection_plan(*, cohort: Cohort, now: datetime.datetime | None = None) -> SelectionPlan:
    """Rank the cohort's document-verified applicants without writing anything.

    Seats are those not yet taken or offered; the local share applies to the cohort's
    whole capacity (residents already holding seats count towards it). The fingerprint
    names the input: the run refuses when it changed since the preview staff saw.
    """
    now = now or timezone.now()
    applications = {
        a.pk: a
        for a in Application.objects.filter(cohort=cohort, status=S.DOCUMENTS_VERIFIED)
        .select_related("trainee__user")
        .order_by("pk")
    }
    candidates = [_candidate(a) for a in applications.values()]
    committed = cohort_count_seats_committed(cohort=cohort)
    seats = max(cohort.capacity - committed, 0)
    holders = Application.objects.filter(cohort=cohort, status__in=SEAT_HOLDING_STATUSES)
    locals_holding = sum(
        1
        for facts, local_now in holders.values_list("facts", "trainee__domicile_in_batang")
        if (facts or {}).get("domicile_in_batang", local_now)
    )
    local_target = ranking.local_seat_count(cohort.capacity, cohort.local_share)
    rules = ranking.Rules(
        seats=seats,
        local_seats=min(max(local_target - locals_holding, 0), seats),
        reserve_size=cohort.reserve_size,
        weights=cohort.selection_weights,
        seed=cohort.selection_seed,
        min_score=cohort.min_score,
    )
    fingerprint_input = {
        "rules": [seats, rules.local_seats, rules.reserve_size, rules.seed, str(rules.min_score)],
        "weights": {k: str(v) for k, v in rules.weights.items()},
        "candidates": [
            [c.application_id, c.local, {k: str(v) for k, v in c.scores.items()}]
            for c in candidates
        ],
    }
    fingerprint = hashlib.sha256(
        json.dumps(fingerprint_input, sort_keys=True).encode()
    ).hexdigest()[:16]
    missing = ranking.missing_scores(candidates, rules.weights)
    blocker = None
    result = None
    if cohort.has_started(now):
        blocker = SelectionError(
            SelectionError.TRAINING_STARTED, _("Training has started: selection is over.")
        )
    elif not candidates:
        blocker = SelectionError(
            SelectionError.NOTHING_TO_RANK,
            _("No applicant with verified documents is waiting for selection."),
        )
    elif missing:
        blocker = SelectionError(
            SelectionError.MISSING_SCORES,
            _("%(n)d applicants have no score yet for a stage that counts.") % {"n": len(missing)},
            missing=missing,
        )
    else:
        result = ranking.selection_rank(candidates, rules)
    return SelectionPlan(
        cohort=cohort,
        applications=applications,
        rules=rules,
        result=result,
        missing=missing,
        fingerprint=fingerprint,
        blocker=blocker,
    )


def _not_accepted_reason(row: ranking.Ranked, plan: SelectionPlan, total: int) -> str:
    if row.reason == ranking.REASON_BELOW_MINIMUM:
        return _(
            "Your weighted score of %(score)s is below this cohort's minimum of %(minimum)s."
        ) % {
            "score": formats.number_format(row.score, 2),
            "minimum": formats.number_format(plan.rules.min_score, 2),
        }
    return _(
        "Your weighted score of %(score)s ranked %(rank)d of %(total)d; the %(seats)d seats "
        "and the %(reserve)d places on the reserve list went to higher-ranked applicants."
    ) % {
        "score": formats.number_format(row.score, 2),
        "rank": row.rank,
        "total": total,
        "seats": plan.rules.seats,
        "reserve": plan.rules.reserve_size,
    }


def cohort_selection_run(
    *, cohort: Cohort, actor, fingerprint: str, now: datetime.datetime | None = None
) -> SelectionRun:
    """Apply the ranking staff previewed: accepted, reserve (numbered) and not accepted.

    Refuses (SelectionError) when the input changed since the preview (`fingerprint`),
    when scores are missing, when nobody waits, or once training has started.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort = _lock_cohort(cohort.pk)
        plan = cohort_selection_plan(cohort=cohort, now=now)
        if plan.blocker is not None:
            raise plan.blocker
        if fingerprint != plan.fingerprint:
            raise SelectionError(
                SelectionError.CHANGED_SINCE_PREVIEW,
                _("Scores or applicants changed since the preview: check the new preview."),
            )
        result = plan.result
        position_offset = (
            Application.objects.filter(cohort=cohort).aggregate(m=Max("reserve_position"))["m"] or 0
        )
        total = len(result.rows)
        for row in result.rows:
            application = plan.applications[row.application_id]
            application.selection_score = row.score
            application.selection_rank = row.rank
            application.selection_draw = row.draw
            application.selection_local_seat = row.via == ranking.VIA_LOCAL
            if row.reserve_position is not None:
                application.reserve_position = position_offset + row.reserve_position
            application.save(
                update_fields=[
                    "selection_score",
                    "selection_rank",
                    "selection_draw",
                    "selection_local_seat",
                    "reserve_position",
                    "updated_at",
                ]
            )
            data = {
                "score": str(row.score),
                "rank": row.rank,
                "draw": row.draw,
                "seed": result.seed,
            }
            reason = ""
            if row.outcome == ranking.NOT_ACCEPTED:
                with in_language_of(application):
                    reason = _not_accepted_reason(row, plan, total)
            elif row.outcome == ranking.RESERVE:
                data["reserve_position"] = application.reserve_position
            _transition(
                application=application,
                to=row.outcome,
                actor=actor,
                reason=reason,
                data=data,
                now=now,
            )
        cohort.selection_ran_at = now
        cohort.save(update_fields=["selection_ran_at", "updated_at"])
        return SelectionRun.objects.create(
            cohort=cohort,
            seed=result.seed,
            seats=result.seats,
            local_seats=result.local_seats,
            accepted=len(result.accepted),
            reserve=len(result.reserve),
            not_accepted=len(result.not_accepted),
            run_by=actor,
            run_at=now,
        )


# -------------------------------------------------------------------- staff, in bulk


@dataclass
class RowOutcome:
    application: Application
    ok: bool
    message: str


BULK_TARGETS = frozenset(
    {
        S.DOCUMENTS_VERIFIED,
        S.ACCEPTED,
        S.RESERVE,
        S.NOT_ACCEPTED,
        S.CONFIRMED,
        S.DROPPED_OUT,
        S.WITHDRAWN,
    }
)
# Staff moves that must tell the applicant why.
BULK_REASON_REQUIRED = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN})


def application_staff_transition(
    *, application: Application, to: str, actor, reason: str = "", now=None
) -> Application:
    """One staff move from the admin, in its own transaction (capacity checked in the door).

    Going on the reserve list gives the next free reserve position; confirming follows
    the re-registration deadline; withdrawing on the applicant's behalf and not accepting
    need a reason.
    """
    now = now or timezone.now()
    to = S(to)
    reason = (reason or "").strip()
    if to not in BULK_TARGETS:
        raise ApplicationError(
            ApplicationError.TRANSITION_NOT_ALLOWED, _("Staff cannot set this status directly.")
        )
    if to in BULK_REASON_REQUIRED and not reason:
        raise ApplicationError(
            ApplicationError.REASON_REQUIRED, _("Give the applicant a reason they can read.")
        )
    if to == S.CONFIRMED:
        return application_confirm(application=application, actor=actor, now=now)
    with transaction.atomic(durable=True):
        cohort = _lock_cohort(application.cohort_id)
        if to == S.RESERVE:
            application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
            if application.status == S.RESERVE:
                pass  # the door refuses reserve → reserve with a clear message below
            else:
                top = Application.objects.filter(cohort=cohort).aggregate(
                    m=Max("reserve_position")
                )["m"]
                application.reserve_position = (top or 0) + 1
                application.save(update_fields=["reserve_position", "updated_at"])
        if to in (S.ACCEPTED, S.RESERVE) and cohort.has_started(now):
            raise ApplicationError(
                ApplicationError.TRANSITION_NOT_ALLOWED,
                _("Training has started: nobody can join the cohort any more."),
                application=application,
            )
        return _transition(application=application, to=to, actor=actor, reason=reason, now=now)


def application_bulk_transition(
    *, applications, to: str, actor, reason: str = "", now=None
) -> list[RowOutcome]:
    """Apply one staff move to many applications; report per row what was done or refused.

    Each row runs in its own transaction: one refusal (a full cohort, a move the state
    machine does not allow) does not undo the others. Rows go in application order, so
    when seats run out the earliest applications got them.
    """
    outcomes = []
    for application in sorted(applications, key=lambda a: a.pk):
        try:
            moved = application_staff_transition(
                application=application, to=to, actor=actor, reason=reason, now=now
            )
        except ApplicationError as error:
            outcomes.append(RowOutcome(application, False, error.message))
        else:
            outcomes.append(RowOutcome(moved, True, moved.get_status_display()))
    return outcomes
