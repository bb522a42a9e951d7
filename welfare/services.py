"""Writes of the welfare app: the cover register's door, batches, the branch's answer,
the H-3 alarm, incidents, allowance payments and payees.

The register moves only through `coverage_transition`; every move is a `CoverageEvent`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.events import event_record, status_move
from core.models import AuditEvent
from core.roles import TRAINING_STAFF
from courses.models import Application, ApplicationStatus, Cohort
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notification_queue

from . import rules
from .errors import CoverError, PayeeError
from .models import (
    AllowancePayment,
    Coverage,
    CoverageEvent,
    CoverageStatus,
    CoverBatch,
    CoverPolicy,
    Payee,
    RefusalReason,
    mask_account,
)

C = CoverageStatus
KPJ_RE = re.compile(r"^\d{11}$")

# Days before the training starts on which staff are told who has no active cover.
ALARM_DAYS_BEFORE = 3


# --------------------------------------------------------------------------- the door


def coverage_transition(
    *,
    coverage: Coverage,
    to: str,
    actor,
    reason_code: str = "",
    reason_params: dict | None = None,
    reason: str = "",
    batch: CoverBatch | None = None,
    kpj_number: str = "",
    refusal_reason: str = "",
    refusal_note: str = "",
    today: datetime.date | None = None,
    notify: bool = True,
) -> Coverage:
    """Move one line of the register along `rules.ALLOWED`; the only writer of `status`.

    An activation tells the trainee (`notify=False` only for the demo data)."""
    today = today or timezone.localdate()
    previous = coverage.status
    if not rules.can_move(previous, to):
        raise CoverError(
            CoverError.TRANSITION_NOT_ALLOWED,
            _("A cover line cannot go from “%(from)s” to “%(to)s”.")
            % {"from": C(previous).label, "to": C(to).label},
        )
    if to in rules.REASON_REQUIRED and refusal_reason not in RefusalReason.values:
        raise CoverError(CoverError.REASON_REQUIRED, _("Say why BPJS refused the registration."))
    if to == C.SENT and batch is None:
        raise ValueError("a line is sent in a batch")
    if to == C.ACTIVE and not KPJ_RE.match(kpj_number or ""):
        raise CoverError(CoverError.KPJ_INVALID, _("A KPJ number has 11 digits."))

    if to == C.SENT:
        coverage.batch = batch
        coverage.refusal_reason = coverage.refusal_note = ""
    elif to == C.ACTIVE:
        coverage.kpj_number = kpj_number
        policy = CoverPolicy.objects.filter(cohort_id=coverage.cohort_id).first()
        starts = policy.starts_on if policy else coverage.cohort.training_start
        # Cover starts when BPJS registers it: never before the policy's start.
        coverage.active_from = max(starts, today)
        coverage.active_until = policy.ends_on if policy else coverage.cohort.training_end
    elif to == C.REFUSED:
        coverage.refusal_reason = refusal_reason
        coverage.refusal_note = refusal_note[:300]
    elif to == C.ENDED and previous == C.ACTIVE:
        coverage.active_until = min(coverage.active_until or today, today)
    status_move(
        subject=coverage,
        to=to,
        actor=actor,
        reason=reason or refusal_note,
        reason_code=reason_code,
        reason_params=reason_params,
        data={"refusal_reason": refusal_reason} if refusal_reason else None,
    )
    if to == C.ACTIVE and notify:
        _notify_active(coverage)
    return coverage


def _tell_trainee(user, cohort: Cohort, *, kind: str, key: str, **context) -> None:
    """One message to a trainee about their intake (its program and code included)."""
    notification_queue(
        kind=kind,
        recipient=user,
        dedup_key=key,
        context={"program": cohort.program.title, "cohort": cohort.code, **context},
    )


def _notify_active(coverage: Coverage) -> None:
    application = coverage.application
    cohort = coverage.cohort
    policy = CoverPolicy.objects.filter(cohort_id=cohort.pk).first()
    _tell_trainee(
        application.trainee.user,
        cohort,
        kind=Kind.COVER_ACTIVE,
        key=f"cover.active:{coverage.pk}:{coverage.kpj_number}",
        programmes=", ".join(policy.programmes) if policy else "JKK, JKM",
        starts_on=coverage.active_from,
        ends_on=coverage.active_until,
        kpj=coverage.kpj_number,
        phone=policy.accident_phone if policy else "175",
        url=reverse("courses:dashboard"),
    )


# --------------------------------------------------------------------------- the register


def coverage_sync_cohort(*, cohort: Cohort, today: datetime.date | None = None) -> int:
    """Open a line for every person who needs cover; close lines of those who left.

    Idempotent: run by each batch and by the daily alarm. Returns the lines opened. A
    person who took a seat from the reserve list is accepted, so the next batch sends them.
    """
    today = today or timezone.localdate()
    missing = Application.objects.filter(
        cohort=cohort, status__in=rules.NEEDS_COVER, coverage__isnull=True
    )
    opened = 0
    for application in missing.only("pk", "cohort_id"):
        coverage = Coverage.objects.create(application=application, cohort=cohort)
        event_record(subject=coverage, actor=None, from_status="", to_status=C.TO_REGISTER)
        opened += 1
    left = (
        Coverage.objects.filter(cohort=cohort)
        .exclude(status=C.ENDED)
        .exclude(
            application__status__in=rules.NEEDS_COVER
            | {ApplicationStatus.PASSED, ApplicationStatus.NOT_PASSED}
        )
        .select_related("cohort")
    )
    for coverage in left:
        if C.ENDED in rules.ALLOWED[coverage.status]:
            coverage_transition(
                coverage=coverage, to=C.ENDED, actor=None, reason_code="left_training", today=today
            )
    if today > cohort.training_end:
        for coverage in Coverage.objects.filter(cohort=cohort, status=C.ACTIVE).select_related(
            "cohort"
        ):
            coverage_transition(
                coverage=coverage, to=C.ENDED, actor=None, reason_code="training_over", today=today
            )
    return opened


def coverage_end_on_leave(*, application: Application, previous: str, actor, now) -> None:
    """End the person's cover line when they leave (withdrawn, dropped out).

    Called by the courses door inside its transaction (cohort and application locked), so
    the line ends with the application: the next list of ended lines tells the branch.
    """
    coverage = (
        Coverage.objects.select_for_update()
        .select_related("cohort")
        .filter(application_id=application.pk)
        .first()
    )
    if coverage is None or C.ENDED not in rules.ALLOWED[coverage.status]:
        return
    coverage_transition(
        coverage=coverage,
        to=C.ENDED,
        actor=actor,
        reason_code="left_training",
        today=timezone.localdate(now),
    )


def cover_batch_send(*, cohort: Cohort, actor, sent_on: datetime.date | None = None) -> CoverBatch:
    """Send every line still to register in a new batch (number, date, staff member)."""
    sent_on = sent_on or timezone.localdate()
    with transaction.atomic(durable=True):
        # The policy row serialises two batches of one intake (numbers, lines).
        policy = CoverPolicy.objects.select_for_update().filter(cohort=cohort).first()
        if policy is None:
            raise CoverError(
                CoverError.NO_POLICY, _("Set the intake's cover policy before sending a batch.")
            )
        coverage_sync_cohort(cohort=cohort, today=sent_on)
        lines = list(
            Coverage.objects.filter(cohort=cohort, status=C.TO_REGISTER)
            .select_related("cohort")
            .order_by("pk")
        )
        if not lines:
            raise CoverError(CoverError.NOTHING_TO_SEND, _("Nobody of this intake is to register."))
        number = (cohort.cover_batches.aggregate(n=Max("number"))["n"] or 0) + 1
        batch = CoverBatch.objects.create(
            cohort=cohort, number=number, sent_on=sent_on, sent_by=actor
        )
        for coverage in lines:
            coverage_send_in_batch(coverage=coverage, batch=batch, actor=actor)
    return batch


def coverage_send_in_batch(
    *, coverage: Coverage, batch: CoverBatch, actor, today: datetime.date | None = None
) -> Coverage:
    """Record one line of the register as sent to the branch in `batch`."""
    return coverage_transition(
        coverage=coverage,
        to=C.SENT,
        actor=actor,
        batch=batch,
        reason_code="batch_sent",
        reason_params={"batch": str(batch)},
        today=today,
    )


def coverage_card_record(*, coverage: Coverage, actor) -> Coverage:
    """Note that the trainee's KPJ card arrived (a fact, not a move)."""
    with transaction.atomic(durable=True):
        coverage = Coverage.objects.select_for_update().get(pk=coverage.pk)
        if coverage.card_received:
            return coverage
        if coverage.status != C.ACTIVE:
            raise CoverError(
                CoverError.TRANSITION_NOT_ALLOWED, _("Only an active cover has a card.")
            )
        coverage.card_received = True
        coverage.save(update_fields=["card_received"])
        event_record(subject=coverage, actor=actor, category=CoverageEvent.Category.CARD)
    return coverage


def coverage_resend(*, coverage: Coverage, actor) -> Coverage:
    """Put a refused line back to register after the data was corrected."""
    with transaction.atomic(durable=True):
        coverage = Coverage.objects.select_for_update().select_related("cohort").get(pk=coverage.pk)
        return coverage_transition(
            coverage=coverage, to=C.TO_REGISTER, actor=actor, reason_code="resent"
        )


# --------------------------------------------------------------------------- the answer


@dataclass
class ImportRow:
    line: int
    outcome: str  # "activated", "refused", "unchanged", "error"
    message: str = ""
    coverage_id: int | None = None


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


REFUSAL_WORDS = {
    "nik": RefusalReason.NIK_NOT_MATCHED,
    "nik_not_matched": RefusalReason.NIK_NOT_MATCHED,
    "nik tidak sesuai": RefusalReason.NIK_NOT_MATCHED,
    "already_covered": RefusalReason.ALREADY_COVERED,
    "sudah terdaftar": RefusalReason.ALREADY_COVERED,
    "data_incomplete": RefusalReason.DATA_INCOMPLETE,
    "data tidak lengkap": RefusalReason.DATA_INCOMPLETE,
}


def cover_answer_import(*, cohort: Cohort, rows: list[dict], actor) -> ImportReport:
    """Apply the branch's answer (KPJ numbers, refusals), one report line per row.

    A row names the line by `ref` (the register's number in our file) or `nik`; a KPJ
    number activates it, a refusal refuses it. The same file twice changes nothing the
    second time (each row reports "unchanged").
    """
    report = ImportReport()
    with transaction.atomic(durable=True):
        lines = {
            c.pk: c
            for c in Coverage.objects.select_for_update(of=("self",))
            .filter(cohort=cohort)
            .select_related("cohort", "application__trainee")
        }
        by_nik = {c.application.trainee.nik: c for c in lines.values() if c.application.trainee.nik}
        for row in rows:
            report.rows.append(_import_row(row, lines, by_nik, actor))
    return report


def _import_row(row: dict, lines: dict, by_nik: dict, actor) -> ImportRow:
    line = row.get("line", 0)
    coverage = None
    ref = str(row.get("ref") or "").strip()
    if ref.isdigit():
        coverage = lines.get(int(ref))
    if coverage is None and row.get("nik"):
        coverage = by_nik.get(str(row["nik"]).strip())
    if coverage is None:
        return ImportRow(line, "error", _("No trainee of this intake matches the row."))
    kpj = re.sub(r"\D", "", str(row.get("kpj") or ""))
    refusal = str(row.get("refusal") or "").strip()
    if kpj:
        to, outcome, same = C.ACTIVE, "activated", coverage.kpj_number == kpj
        change = {"kpj_number": kpj, "reason_code": "kpj_imported"}
    elif refusal:
        code = REFUSAL_WORDS.get(refusal.lower(), RefusalReason.OTHER)
        to, outcome, same = C.REFUSED, "refused", coverage.refusal_reason == code
        change = {
            "refusal_reason": code,
            "refusal_note": refusal if code == RefusalReason.OTHER else "",
            "reason_code": "refused_imported",
        }
    else:
        return ImportRow(
            line,
            "error",
            _("The row has neither a KPJ number nor a refusal."),
            coverage_id=coverage.pk,
        )
    if coverage.status == to and same:
        return ImportRow(line, "unchanged", coverage_id=coverage.pk)
    try:
        coverage_transition(coverage=coverage, to=to, actor=actor, **change)
    except CoverError as error:
        return ImportRow(line, "error", error.message, coverage_id=coverage.pk)
    return ImportRow(line, outcome, coverage_id=coverage.pk)


# --------------------------------------------------------------------------- the alarm


def cover_alarm_send(*, today: datetime.date | None = None) -> int:
    """Tell training staff, three days before a cohort starts, who has no active cover.

    Daily beat job; run twice the same day it sends nothing more (one outbox row per
    cohort and staff member, by its dedup key). Returns the messages queued.
    """
    today = today or timezone.localdate()
    start = today + datetime.timedelta(days=ALARM_DAYS_BEFORE)
    queued = 0
    staff = list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=TRAINING_STAFF)
        .distinct()
    )
    for cohort in Cohort.objects.filter(training_start=start, is_cancelled=False).select_related(
        "program"
    ):
        with transaction.atomic(durable=True):
            coverage_sync_cohort(cohort=cohort, today=today)
            missing = Coverage.objects.filter(cohort=cohort, status__in=rules.UNCOVERED).count()
            if not missing:
                continue
            for member in staff:
                key = f"cover.missing:{cohort.pk}:{member.pk}"
                if Notification.objects.filter(dedup_key=key).exists():
                    continue
                notification_queue(
                    kind=Kind.COVER_MISSING,
                    recipient=member,
                    dedup_key=key,
                    context={
                        "program": cohort.program.title,
                        "cohort": cohort.code,
                        "starts_on": cohort.training_start,
                        "missing": missing,
                        "url": reverse("admin:welfare_coverage_cohort", args=[cohort.pk]),
                    },
                )
                queued += 1
    return queued


def coverage_end_finished(*, today: datetime.date | None = None) -> int:
    """End the active lines of intakes whose training is over (the daily job, after the
    alarm). Idempotent: a second run finds nothing active. Returns the intakes swept."""
    today = today or timezone.localdate()
    cohorts = Cohort.objects.filter(training_end__lt=today, coverages__status=C.ACTIVE).distinct()
    swept = 0
    for cohort in cohorts:
        with transaction.atomic(durable=True):
            coverage_sync_cohort(cohort=cohort, today=today)
        swept += 1
    return swept


# --------------------------------------------------------------------------- allowances


def allowance_payment_record(
    *, application: Application, amount, paid_on: datetime.date, actor
) -> AllowancePayment:
    """Record the allowance paid to one trainee (once; a second call changes nothing)."""
    with transaction.atomic(durable=True):
        payment, _created = AllowancePayment.objects.get_or_create(
            application=application,
            defaults={"amount": amount, "paid_on": paid_on, "recorded_by": actor},
        )
    return payment


# --------------------------------------------------------------------------- payees


# The details a payee is made of, in the order the trail lists them.
PAYEE_FIELDS = ("method", "provider", "account_number", "account_name")


def _payee_changes(before: dict, after: dict) -> dict:
    """What changed between two sets of payee details, fit for the audit trail.

    Account numbers are masked; the holder's name is only flagged (the trail holds no
    names, `core.audit`), so the trail can be read without the personal-data permission.
    """
    changes = {}
    for name in PAYEE_FIELDS:
        old, new = before.get(name, ""), after[name]
        if old == new:
            continue
        if name == "account_number":
            changes[name] = {"from": mask_account(old), "to": mask_account(new)}
        elif name == "account_name":
            changes[name] = {"changed": True}
        else:
            changes[name] = {"from": old, "to": new}
    return changes


def payee_save(
    *,
    application: Application,
    method: str,
    provider: str,
    account_number: str,
    account_name: str,
    actor,
    request=None,
) -> Payee:
    """Keep where the trainee's allowance goes (the trainee's own entry or staff's).

    Refused once the allowance is paid (the signed sheet names the account). A change of
    any detail clears the staff's verification, is written to the audit trail (numbers
    masked) and, when someone other than the trainee made it, tells the trainee; saving
    the same details changes nothing.
    """
    with transaction.atomic(durable=True):
        # The application row serialises the trainee's and staff's saves of one payee.
        application = (
            Application.objects.select_for_update()
            .select_related("trainee__user", "cohort__program")
            .get(pk=application.pk)
        )
        if AllowancePayment.objects.filter(application=application).exists():
            raise PayeeError(
                PayeeError.ALREADY_PAID,
                _("The allowance is already paid to the account given: ask the staff."),
            )
        payee = Payee.objects.filter(application=application).first() or Payee(
            application=application
        )
        created = payee.pk is None
        before = {} if created else {name: getattr(payee, name) for name in PAYEE_FIELDS}
        after = dict(
            zip(
                PAYEE_FIELDS,
                (method, provider.strip(), account_number.strip(), account_name.strip()),
                strict=True,
            )
        )
        if not created and before == after:
            return payee
        for name, value in after.items():
            setattr(payee, name, value)
        payee.entered_by = actor
        payee.verified_at = payee.verified_by = None
        payee.save()
        trainee = application.trainee.user
        by_trainee = actor is not None and actor.pk == trainee.pk
        event = audit_record(
            actor=actor,
            action=AuditEvent.Action.PAYEE_CHANGE,
            subject=payee,
            detail={
                "by": "trainee" if by_trainee else "staff",
                "created": created,
                "changes": _payee_changes(before, after),
            },
            request=request,
        )
        if not by_trainee:
            _payee_changed_notify(payee=payee, application=application, event=event)
    return payee


def _payee_changed_notify(*, payee: Payee, application: Application, event) -> None:
    # Someone else changed where the trainee's money goes: the classic fraud path, so
    # the trainee hears of it on their own channels (one message per change).
    _tell_trainee(
        application.trainee.user,
        application.cohort,
        kind=Kind.PAYEE_CHANGED,
        key=f"payee.changed:{event.pk}",
        provider=payee.provider,
        account_end=payee.account_number[-4:],
        changed_at=event.at,
        url=reverse("welfare:payee-list"),
    )


def payee_verify(*, payee: Payee, actor, request=None) -> Payee:
    """Staff checked the details (the name matches the trainee): once; again is a no-op.

    Each verification is written to the audit trail with the account it vouched for
    (masked)."""
    with transaction.atomic(durable=True):
        payee = Payee.objects.select_for_update().get(pk=payee.pk)
        if payee.verified_at is None:
            payee.verified_at = timezone.now()
            payee.verified_by = actor
            payee.save(update_fields=["verified_at", "verified_by", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.PAYEE_VERIFY,
                subject=payee,
                detail={
                    "method": payee.method,
                    "provider": payee.provider,
                    "account_number": payee.account_masked,
                },
                request=request,
            )
    return payee
