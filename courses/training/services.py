"""Writes of the training: days, attendance, unit results, outcomes, certificates.

Outcomes move the application through the one door (`application_transition`): in
training → passed / not passed / dropped out. A pass issues the certificate in the same
transaction and queues the "certificate issued" e-mail.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from courses.admissions.transitions import application_transition
from courses.certification.services.credentials import (
    credential_for_certificate,
    credential_revoke_for_certificate,
)
from courses.errors import TrainingError
from courses.locks import application_lock, certificate_lock, cohort_lock
from courses.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attendance,
    Certificate,
    Cohort,
    CompetencyUnit,
    TrainingDay,
    UnitResult,
)
from courses.training.selectors.attendance import application_attendance_percent
from notifications.services import notification_queue

S = ApplicationStatus


R = UnitResult.Result


# Crockford's base 32 without I, L, O, U: easy to read aloud and to type from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


CODE_LENGTH = 10  # 50 bits: not guessable, so the verification pages cannot be listed


def cohort_training_days_generate(*, cohort: Cohort) -> list[TrainingDay]:
    """Create the cohort's training days: weekdays from the start, at most the program's
    number of training days, never past the end. Existing days are kept (safe to rerun)."""
    existing = set(cohort.training_days.values_list("date", flat=True))
    wanted = []
    day = cohort.training_start
    while day <= cohort.training_end and len(wanted) < cohort.program.duration_days:
        if day.weekday() < 5:
            wanted.append(day)
        day += datetime.timedelta(days=1)
    created = [TrainingDay(cohort=cohort, date=date) for date in wanted if date not in existing]
    with transaction.atomic():
        TrainingDay.objects.bulk_create(created, ignore_conflicts=True)
    return created


def attendance_record(
    *,
    cohort: Cohort,
    day_ids: list[int],
    present: set[tuple[int, int]],
    actor,
    today: datetime.date | None = None,
    since: datetime.datetime | None = None,
) -> int:
    """Save the attendance grid for `day_ids`: (day id, application id) pairs are present,
    every other trainee of those days absent. Returns the number of cells that changed.

    Only trainees in training are recorded, and only days that have come. `since`: when
    the grid was loaded; a mark someone else (a trainer on their phone) recorded after
    that is kept, not overwritten by the grid's older view of it.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        cohort_lock(cohort.pk)
        days = {d.pk: d for d in TrainingDay.objects.filter(cohort=cohort, pk__in=day_ids)}
        if len(days) != len(set(day_ids)):
            raise TrainingError(TrainingError.UNKNOWN_DAY, _("A day is not a day of this cohort."))
        future = [d for d in days.values() if d.date > today]
        if future:
            raise TrainingError(
                TrainingError.UNKNOWN_DAY,
                _("Attendance cannot be recorded for a day that has not come yet."),
            )
        trainees = set(
            Application.objects.filter(cohort=cohort, status=S.IN_TRAINING).values_list(
                "pk", flat=True
            )
        )
        stray = {app for _day, app in present} - trainees
        if stray:
            raise TrainingError(
                TrainingError.NOT_IN_TRAINING,
                _("Attendance is only recorded for trainees in training."),
            )
        current = {
            (row.day_id, row.application_id): row
            for row in Attendance.objects.filter(day_id__in=days, application_id__in=trainees)
        }
        now = timezone.now()
        changed, to_create = 0, []
        for day_id in days:
            for application_id in trainees:
                is_present = (day_id, application_id) in present
                row = current.get((day_id, application_id))
                if row is None:
                    to_create.append(
                        Attendance(
                            day_id=day_id,
                            application_id=application_id,
                            present=is_present,
                            recorded_by=actor,
                            recorded_at=now,
                        )
                    )
                    changed += 1
                elif (
                    since is not None
                    and row.recorded_at > since
                    and row.recorded_by_id != getattr(actor, "pk", None)
                ):
                    continue  # recorded meanwhile by someone else: theirs is newer
                elif row.present != is_present:
                    row.present, row.recorded_by, row.recorded_at = is_present, actor, now
                    row.save(update_fields=["present", "recorded_by", "recorded_at"])
                    changed += 1
        Attendance.objects.bulk_create(to_create)
    return changed


def attendance_mark(
    *,
    cohort: Cohort,
    day_id: int,
    application_id: int,
    present: bool,
    actor,
    today: datetime.date | None = None,
) -> bool:
    """Record one trainee present or absent on one training day; True when it changed.

    One tap on the trainer's phone page. Setting a mark is absolute, so a mark sent again
    (a retry after the connection dropped) changes nothing. A trainer records only the
    intakes assigned to them, and only today's session; staff use the grid in the admin.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        cohort = cohort_lock(cohort.pk)
        if actor.is_trainer and not cohort.trainers.filter(pk=actor.pk).exists():
            raise TrainingError(
                TrainingError.NOT_ASSIGNED, _("You are not a trainer of this intake.")
            )
        day = TrainingDay.objects.filter(cohort=cohort, pk=day_id).first()
        if day is None:
            raise TrainingError(TrainingError.UNKNOWN_DAY, _("A day is not a day of this cohort."))
        if day.date > today:
            raise TrainingError(
                TrainingError.UNKNOWN_DAY,
                _("Attendance cannot be recorded for a day that has not come yet."),
            )
        if actor.is_trainer and day.date != today:
            raise TrainingError(
                TrainingError.NOT_TODAY,
                _(
                    "Trainers record today's session; ask the training staff to correct another day."
                ),
            )
        if not Application.objects.filter(
            cohort=cohort, pk=application_id, status=S.IN_TRAINING
        ).exists():
            raise TrainingError(
                TrainingError.NOT_IN_TRAINING,
                _("Attendance is only recorded for trainees in training."),
            )
        # The cohort lock serialises every attendance write of the cohort: no row lock.
        row = Attendance.objects.filter(day=day, application_id=application_id).first()
        now = timezone.now()
        if row is None:
            Attendance.objects.create(
                day=day,
                application_id=application_id,
                present=present,
                recorded_by=actor,
                recorded_at=now,
            )
            return True
        if row.present == present:
            return False
        row.present, row.recorded_by, row.recorded_at = present, actor, now
        row.save(update_fields=["present", "recorded_by", "recorded_at"])
        return True


def unit_results_record(*, application: Application, results: dict[int, str], actor) -> int:
    """Record Kompeten / Belum Kompeten per unit ("" removes a result); returns changes."""
    with transaction.atomic():
        # The cohort first: a pass being recorded holds it, so it checks the results
        # after this change is committed (or this waits until the pass is recorded).
        _cohort, application = application_lock(application)
        if application.status != S.IN_TRAINING:
            raise TrainingError(
                TrainingError.NOT_IN_TRAINING,
                _("Results are recorded while the trainee is in training."),
            )
        program_units = set(
            CompetencyUnit.objects.filter(program_id=application.cohort.program_id).values_list(
                "pk", flat=True
            )
        )
        existing = {r.unit_id: r for r in application.unit_results.all()}
        changed = 0
        now = timezone.now()
        for unit_id, value in results.items():
            if unit_id not in program_units:
                raise TrainingError(
                    TrainingError.RESULTS_INCOMPLETE, _("A unit is not a unit of this program.")
                )
            row = existing.get(unit_id)
            if not value:
                if row is not None:
                    row.delete()
                    changed += 1
                continue
            value = R(value)
            if row is None:
                UnitResult.objects.create(
                    application=application,
                    unit_id=unit_id,
                    result=value,
                    recorded_by=actor,
                    recorded_at=now,
                )
                changed += 1
            elif row.result != value:
                row.result, row.recorded_by, row.recorded_at = value, actor, now
                row.save(update_fields=["result", "recorded_by", "recorded_at"])
                changed += 1
    return changed


def _not_passed_reason(application: Application, percent: int | None, threshold: int) -> dict:
    """The code and parameters of why the trainee did not pass (translated when read)."""
    params = {"percent": percent if percent is not None else 0, "threshold": threshold}
    low_attendance = percent is None or percent < threshold
    not_yet = application.unit_results.filter(result=R.NOT_YET_COMPETENT).count()
    if not_yet:
        params["n"] = not_yet
    code = {
        (True, True): "not_passed_attendance_and_units",
        (True, False): "not_passed_attendance",
        (False, True): "not_passed_units",
        (False, False): "not_passed",
    }[(low_attendance, bool(not_yet))]
    return {"reason_code": code, "reason_params": params}


def application_training_finish(
    *, application: Application, passed: bool, actor, reason: str = "", now=None
) -> Application:
    """Record the overall result; a pass issues the certificate in the same transaction.

    A pass needs every unit assessed. A fail without a reason gets one from the
    attendance and the unit results (a code, translated for whoever reads it).
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort, application = application_lock(application)
        if application.status != S.IN_TRAINING:
            raise TrainingError(
                TrainingError.NOT_IN_TRAINING,
                _("Only a trainee in training can pass or not pass."),
            )
        percent = application_attendance_percent(
            application=application, today=timezone.localdate(now)
        )
        if passed:
            units = set(cohort.program.units.values_list("pk", flat=True))
            assessed = set(application.unit_results.values_list("unit_id", flat=True))
            if units - assessed:
                raise TrainingError(
                    TrainingError.RESULTS_INCOMPLETE,
                    _("Record a result for every competency unit first."),
                )
            application = application_transition(
                application=application,
                to=S.PASSED,
                actor=actor,
                reason=reason,
                data={"attendance_percent": percent},
                now=now,
            )
            certificate_issue(application=application, actor=actor, now=now)
            return application
        why = (
            {"reason": reason}
            if reason.strip()
            else _not_passed_reason(application, percent, cohort.pass_attendance_percent)
        )
        return application_transition(
            application=application,
            to=S.NOT_PASSED,
            actor=actor,
            data={"attendance_percent": percent},
            now=now,
            **why,
        )


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_issue(
    *, application: Application, actor, now: datetime.datetime | None = None
) -> Certificate:
    """Issue the certificate of a passed trainee; an existing one is returned as it is.

    Call it inside a transaction that locked the cohort row (the number is the cohort's
    next in sequence: STC-BTG/<cohort>/<nnn>).
    """
    now = now or timezone.now()
    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    application = Application.objects.select_related("cohort__program", "trainee__user").get(
        pk=application.pk
    )
    if application.status != S.PASSED:
        raise TrainingError(
            TrainingError.NOT_PASSED, _("Certificates are issued to trainees who passed.")
        )
    cohort = application.cohort
    results = dict(application.unit_results.values_list("unit_id", "result"))
    units = [
        {"code": unit.code, "title": unit.title, "result": results.get(unit.pk, "")}
        for unit in cohort.program.units.order_by("position", "code")
    ]
    sequence = Certificate.objects.filter(application__cohort=cohort).count() + 1
    percent = application_attendance_percent(application=application, today=timezone.localdate(now))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    application=application,
                    number=f"STC-BTG/{cohort.code}/{sequence:03d}",
                    code=_new_code(),
                    **Certificate.facts_of(application),
                    units=units,
                    attendance_percent=percent or 0,
                    issued_on=timezone.localdate(now),
                    issued_by=actor,
                )
            break
        except IntegrityError:
            # A random code collided (50 bits: practically never) or a number was taken
            # by a certificate issued outside the cohort lock: draw again, next number.
            sequence += 1
    else:  # pragma: no cover - five collisions in a row
        raise TrainingError(TrainingError.NOT_PASSED, _("The certificate could not be issued."))
    event_record(
        subject=application,
        category=ApplicationEvent.Category.CERTIFICATE_ISSUED,
        actor=actor,
        data={"certificate": certificate.number},
        created_at=now,
    )
    credential_for_certificate(certificate=certificate, actor=actor)
    notification_queue(
        kind="certificate.issued",
        context={
            "program": certificate.program_title,
            "cohort": certificate.cohort_code,
            "certificate_number": certificate.number,
            "url": certificate.get_print_url(),
        },
        dedup_key=f"certificate.issued:{certificate.pk}",
        recipient=application.trainee.user,
    )
    return certificate


def certificate_issue_missing(*, cohort: Cohort, actor) -> list[Certificate]:
    """Issue the certificates that passed trainees of `cohort` do not have yet."""
    with transaction.atomic(durable=True):
        cohort_lock(cohort.pk)
        waiting = Application.objects.filter(
            cohort=cohort, status=S.PASSED, certificate__isnull=True
        ).order_by("pk")
        return [certificate_issue(application=a, actor=actor) for a in waiting]


def certificate_revoke(*, certificate: Certificate, actor, reason: str, now=None) -> Certificate:
    """Revoke a certificate; the public verification page then says so, with the reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise TrainingError(TrainingError.REASON_REQUIRED, _("Say why the certificate is revoked."))
    with transaction.atomic(durable=True):
        certificate = certificate_lock(certificate.pk)
        if certificate.revoked_at is not None:
            raise TrainingError(
                TrainingError.ALREADY_REVOKED, _("This certificate is already revoked.")
            )
        certificate.revoked_at = now
        certificate.revoked_by = actor
        certificate.revoke_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        event_record(
            subject=certificate.application,
            category=ApplicationEvent.Category.CERTIFICATE_REVOKED,
            actor=actor,
            reason=reason,
            data={"certificate": certificate.number},
            created_at=now,
        )
        credential_revoke_for_certificate(
            certificate=certificate, actor=actor, reason=reason, now=now
        )
    return certificate
