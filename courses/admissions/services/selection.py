"""The selection run: the preview (a plan that writes nothing) and the run itself."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.admissions import ranking
from courses.admissions.rules import RANKING_FIELDS, SEAT_HOLDING_STATUSES, joining_closed
from courses.admissions.transitions import application_transition, local_datetime
from courses.catalogue.selectors import cohort_count_seats_committed
from courses.errors import SelectionError
from courses.locks import cohort_lock
from courses.models import (
    SCORE_INTERVIEW,
    SCORE_WRITTEN_TEST,
    Application,
    ApplicationStatus,
    Cohort,
    SelectionRun,
)

S = ApplicationStatus


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
    # Why running now would be early (registration still open, applications not checked
    # yet): the run needs an explicit early run with a reason while this is not empty.
    early_facts: list[str] = field(default_factory=list)

    @property
    def is_early(self) -> bool:
        return bool(self.early_facts)


def cohort_selection_early_facts(*, cohort: Cohort, now: datetime.datetime) -> list[str]:
    """The facts that make a selection run now early, in the reader's language."""
    facts = []
    if now < cohort.registration_closes_at:
        facts.append(
            _("Registration is still open until %(when)s")
            % {"when": local_datetime(cohort.registration_closes_at)}
        )
    if cohort.uses_document_check:
        unchecked = Application.objects.filter(cohort=cohort, status=S.SUBMITTED).count()
        if unchecked:
            facts.append(
                ngettext(
                    "%(n)d applicant not checked yet",
                    "%(n)d applicants not checked yet",
                    unchecked,
                )
                % {"n": unchecked}
            )
    return facts


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
    if joining_closed(cohort, now):
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
        early_facts=cohort_selection_early_facts(cohort=cohort, now=now),
    )


def _not_accepted_reason(row: ranking.Ranked, plan: SelectionPlan, total: int) -> dict:
    """The code and parameters of why `row` is not accepted (translated when read)."""
    if row.reason == ranking.REASON_BELOW_MINIMUM:
        params = {"score": str(row.score), "minimum": str(plan.rules.min_score)}
        return {"reason_code": "below_minimum", "reason_params": params}
    params = {
        "score": str(row.score),
        "rank": row.rank,
        "total": total,
        "seats": plan.rules.seats,
        "reserve": plan.rules.reserve_size,
    }
    return {"reason_code": "ranked_out", "reason_params": params}


def cohort_selection_run(
    *,
    cohort: Cohort,
    actor,
    fingerprint: str,
    early_reason: str | None = None,
    now: datetime.datetime | None = None,
) -> SelectionRun:
    """Apply the ranking staff previewed: accepted, reserve (numbered) and not accepted.

    Refuses (SelectionError) when the input changed since the preview (`fingerprint`),
    when scores are missing, when nobody waits, or once training has started. While
    registration is still open or applications still wait for their document check the
    run is early: refused with the facts (TOO_EARLY) unless staff chose an early run and
    gave `early_reason` (recorded on the run and in every applicant's event).
    """
    now = now or timezone.now()
    early_reason = None if early_reason is None else early_reason.strip()
    with transaction.atomic(durable=True):
        cohort = cohort_lock(cohort.pk)
        plan = cohort_selection_plan(cohort=cohort, now=now)
        if plan.blocker is not None:
            raise plan.blocker
        if fingerprint != plan.fingerprint:
            raise SelectionError(
                SelectionError.CHANGED_SINCE_PREVIEW,
                _("Scores or applicants changed since the preview: check the new preview."),
            )
        if plan.is_early and early_reason is None:
            raise SelectionError(
                SelectionError.TOO_EARLY,
                _("Too early for selection: %(facts)s. Wait, or choose an early run and say why.")
                % {"facts": "; ".join(plan.early_facts)},
            )
        if plan.is_early and not early_reason:
            raise SelectionError(
                SelectionError.EARLY_REASON_REQUIRED,
                _("An early run needs a reason: %(facts)s.")
                % {"facts": "; ".join(plan.early_facts)},
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
            application.save(update_fields=[*RANKING_FIELDS, "updated_at"])
            data = {
                "score": str(row.score),
                "rank": row.rank,
                "draw": row.draw,
                "seed": result.seed,
            }
            if plan.is_early:
                data["early_run"] = {"reason": early_reason, "facts": plan.early_facts}
            reason = {}
            if row.outcome == ranking.NOT_ACCEPTED:
                reason = _not_accepted_reason(row, plan, total)
            elif row.outcome == ranking.RESERVE:
                data["reserve_position"] = application.reserve_position
            application_transition(
                application=application,
                to=row.outcome,
                actor=actor,
                data=data,
                **reason,
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
            early_reason=early_reason if plan.is_early else "",
            early_facts=plan.early_facts if plan.is_early else [],
        )
