"""Demo selection and training data for `seed_demo`, called by courses/demo.py.

For cohorts that have started (in training or finished): scores and the ranking of
their applicants, a selection run, training days, attendance, unit results and the
certificates of the graduates. Deterministic (randomness drawn from generators named
after the cohort and the person) and idempotent (only what is missing is written, in
bulk). Like the demo applications, it bypasses the services on purpose: no e-mails.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from courses.admissions import ranking
from courses.admissions.rules import RANKING_FIELDS, SCORE_FIELDS, TRAINED_STATUSES
from courses.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Certificate,
    Cohort,
    CohortStatus,
    CompetencyUnit,
    SelectionRun,
    TrainingDay,
    UnitResult,
)
from courses.training.services.attendance import cohort_training_days_generate
from courses.training.services.certificates import CODE_ALPHABET, CODE_LENGTH

S = ApplicationStatus
RANKED = (*TRAINED_STATUSES, S.NOT_ACCEPTED)
# How often a trainee was present, by outcome (share of the days held).
PRESENCE = {S.PASSED: 0.95, S.IN_TRAINING: 0.9, S.NOT_PASSED: 0.7, S.DROPPED_OUT: 0.3}


def _score(rng: random.Random, status: str) -> Decimal:
    low, high = (40, 68) if status == S.NOT_ACCEPTED else (66, 96)
    return Decimal(rng.randint(low * 2, high * 2)) / 2


def _scores(cohorts, now) -> int:
    """Scores, weighted score, rank and draw for ranked applicants without them."""
    written = 0
    for cohort in cohorts:
        applications = list(
            Application.objects.filter(cohort=cohort, status__in=RANKED).select_related(
                "trainee__user"
            )
        )
        if not applications or all(a.selection_rank for a in applications):
            continue
        candidates = []
        for application in applications:
            rng = random.Random(f"demo-scores:{cohort.code}:{application.trainee.user.email}")
            if application.written_test_score is None and cohort.uses_written_test:
                application.written_test_score = _score(rng, application.status)
            if application.interview_score is None and cohort.uses_interview:
                application.interview_score = _score(rng, application.status)
            candidates.append(
                ranking.Candidate(
                    application_id=application.pk,
                    local=application.trainee.domicile_in_batang,
                    scores={
                        "written_test": application.written_test_score,
                        "interview": application.interview_score,
                    },
                )
            )
        rules = ranking.Rules(
            seats=len(candidates),
            local_seats=0,
            reserve_size=0,
            weights=cohort.selection_weights,
            seed=cohort.selection_seed,
        )
        result = ranking.selection_rank(candidates, rules)
        trained = sum(a.status in TRAINED_STATUSES for a in applications)
        local_target = ranking.local_seat_count(trained, cohort.local_share)
        by_pk = {a.pk: a for a in applications}
        locals_seated = 0
        for row in result.rows:
            application = by_pk[row.application_id]
            application.selection_score = row.score
            application.selection_rank = row.rank
            application.selection_draw = row.draw
            seated_locally = (
                application.status in TRAINED_STATUSES
                and row.local
                and locals_seated < local_target
            )
            locals_seated += seated_locally
            application.selection_local_seat = seated_locally
        Application.objects.bulk_update(
            applications, [*SCORE_FIELDS, *RANKING_FIELDS], batch_size=500
        )
        written += len(applications)
        if not cohort.selection_runs.exists():
            SelectionRun.objects.create(
                cohort=cohort,
                seed=cohort.selection_seed,
                seats=cohort.capacity,
                local_seats=ranking.local_seat_count(cohort.capacity, cohort.local_share),
                accepted=trained,
                reserve=0,
                not_accepted=len(applications) - trained,
                run_at=cohort.registration_closes_at + datetime.timedelta(days=3),
            )
            Cohort.objects.filter(pk=cohort.pk).update(
                selection_ran_at=cohort.registration_closes_at + datetime.timedelta(days=3)
            )
    return written


def _attendance(cohorts, today) -> int:
    rows = []
    for cohort in cohorts:
        cohort_training_days_generate(cohort=cohort)
        days = list(TrainingDay.objects.filter(cohort=cohort, date__lte=today).order_by("date"))
        trainees = Application.objects.filter(
            cohort=cohort, status__in=TRAINED_STATUSES
        ).select_related("trainee__user")
        recorded = set(
            Attendance.objects.filter(day__cohort=cohort).values_list("day_id", "application_id")
        )
        for application in trainees:
            rng = random.Random(f"demo-attendance:{cohort.code}:{application.trainee.user.email}")
            presence = PRESENCE[application.status]
            for index, day in enumerate(days):
                if (day.pk, application.pk) in recorded:
                    continue
                if application.status == S.DROPPED_OUT:
                    present = index < len(days) * presence
                else:
                    present = rng.random() < presence
                rows.append(
                    Attendance(
                        day=day,
                        application=application,
                        present=present,
                        recorded_at=timezone.make_aware(
                            datetime.datetime.combine(day.date, datetime.time(9))
                        ),
                    )
                )
    Attendance.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def _unit_results(cohorts) -> int:
    rows = []
    for cohort in cohorts:
        units = list(CompetencyUnit.objects.filter(program_id=cohort.program_id))
        trainees = (
            Application.objects.filter(cohort=cohort, status__in=TRAINED_STATUSES)
            .annotate(results=Count("unit_results"))
            .filter(results=0)
            .select_related("trainee__user")
        )
        for application in trainees:
            rng = random.Random(f"demo-units:{cohort.code}:{application.trainee.user.email}")
            assessed = units
            if application.status == S.IN_TRAINING:
                assessed = units[: len(units) // 2]
            elif application.status == S.DROPPED_OUT:
                assessed = []
            weak = (
                {u.pk for u in assessed if rng.random() < 0.4}
                if application.status == S.NOT_PASSED
                else set()
            )
            if application.status == S.NOT_PASSED and not weak and assessed:
                weak = {assessed[-1].pk}
            rows += [
                UnitResult(
                    application=application,
                    unit=unit,
                    result=(
                        UnitResult.Result.NOT_YET_COMPETENT
                        if unit.pk in weak
                        else UnitResult.Result.COMPETENT
                    ),
                )
                for unit in assessed
            ]
    UnitResult.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def _certificates(cohorts, today) -> int:
    rows = []
    taken_codes = set(Certificate.objects.values_list("code", flat=True))
    for cohort in cohorts:
        graduates = list(
            Application.objects.filter(cohort=cohort, status=S.PASSED)
            .select_related("trainee__user", "cohort__program")
            .order_by("selection_rank", "pk")
        )
        if not graduates:
            continue
        have = set(
            Certificate.objects.filter(application__cohort=cohort).values_list(
                "application_id", flat=True
            )
        )
        sequence = len(have)
        units = list(
            CompetencyUnit.objects.filter(program_id=cohort.program_id).order_by("position", "code")
        )
        held = TrainingDay.objects.filter(cohort=cohort, date__lte=today).count()
        present = dict(
            Attendance.objects.filter(day__cohort=cohort, present=True)
            .values("application")
            .annotate(n=Count("pk"))
            .values_list("application", "n")
        )
        for application in graduates:
            if application.pk in have:
                continue
            sequence += 1
            rng = random.Random(f"demo-certificate:{cohort.code}:{application.trainee.user.email}")
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            while code in taken_codes:
                code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            taken_codes.add(code)
            percent = Decimal(present.get(application.pk, 0) * 100) / max(held, 1)
            rows.append(
                Certificate(
                    application=application,
                    number=f"STC-BTG/{cohort.code}/{sequence:03d}",
                    code=code,
                    **Certificate.facts_of(application),
                    units=[
                        {"code": u.code, "title": u.title, "result": UnitResult.Result.COMPETENT}
                        for u in units
                    ],
                    attendance_percent=int(percent.to_integral_value(ROUND_HALF_UP)),
                    issued_on=cohort.training_end + datetime.timedelta(days=3),
                )
            )
    Certificate.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


DEMO_TRAINER_EMAIL = "pelatih@demo.stc-batang.id"
DEMO_TRAINER_PASSWORD = "demo-pelatih-batang"  # noqa: S105 - a demo login, printed on purpose


def _trainer(cohorts, now) -> int:
    """One demo trainer assigned to every intake in training (idempotent)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from core.roles import account_groups_sync

    trainer, _created = User.objects.get_or_create(
        email=DEMO_TRAINER_EMAIL,
        defaults={
            "full_name": "Rina Wulandari (pelatih)",
            "role": User.Role.TRAINER,
            "password": make_password(DEMO_TRAINER_PASSWORD, salt="trainerdemo2026"),
        },
    )
    account_groups_sync(trainer)
    in_training = [c for c in cohorts if c.status_at(now) == CohortStatus.IN_TRAINING]
    for cohort in in_training:
        cohort.trainers.add(trainer)
    return len(in_training)


def seed() -> dict[str, int]:
    """Selection and training data for every started cohort; returns what it wrote."""
    now = timezone.now()
    today = timezone.localdate(now)
    started = [
        c
        for c in Cohort.objects.select_related("program")
        .filter(training_start__lte=today, is_cancelled=False)
        .filter(Q(applications__status__in=RANKED))
        .distinct()
        .order_by("code")
        if c.status_at(now) in (CohortStatus.IN_TRAINING, CohortStatus.FINISHED)
    ]
    return {
        "trainer assignments": _trainer(started, now),
        "scored applications": _scores(started, now),
        "attendance marks": _attendance(started, today),
        "unit results": _unit_results(started),
        "certificates": _certificates(started, today),
    }
