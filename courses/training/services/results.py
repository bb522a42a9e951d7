"""Writes of the results: unit results (K/BK) and the outcome of the training (passed or
not passed; a pass issues the certificate in the same transaction).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.admissions.transitions import application_transition
from courses.errors import TrainingError
from courses.locks import application_lock
from courses.models import Application, ApplicationStatus, Cohort, CompetencyUnit, UnitResult
from courses.training.selectors.attendance import application_attendance_percent
from courses.training.services.certificates import certificate_issue

S = ApplicationStatus

R = UnitResult.Result


def _application_lock_in_training(
    application: Application, refusal: str
) -> tuple[Cohort, Application]:
    """Lock the application's cohort, then the application; refuse with `refusal` unless
    the trainee is in training."""
    cohort, application = application_lock(application)
    if application.status != S.IN_TRAINING:
        raise TrainingError(TrainingError.NOT_IN_TRAINING, refusal)
    return cohort, application


def unit_results_record(*, application: Application, results: dict[int, str], actor) -> int:
    """Record Kompeten / Belum Kompeten per unit ("" removes a result); returns changes."""
    with transaction.atomic():
        # The cohort first: a pass being recorded holds it, so it checks the results
        # after this change is committed (or this waits until the pass is recorded).
        _cohort, application = _application_lock_in_training(
            application, _("Results are recorded while the trainee is in training.")
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
        cohort, application = _application_lock_in_training(
            application, _("Only a trainee in training can pass or not pass.")
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
