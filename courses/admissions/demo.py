"""Demo applications for `seed_demo` (1,250 per scale unit), called by courses/demo.py.

Runs after trainees/demo.py (job seekers) and the catalogue (cohorts). Deterministic
and idempotent: only (job seeker, cohort) pairs that do not exist yet are written, each
with its timeline events, in bulk. Statuses follow the cohort's stage: open or closed
intakes hold submitted / verified / withdrawn applications, running and finished ones
a class of `capacity` in training or with results, the others not accepted (with a
reason). Seeded rows bypass the services on purpose (no e-mails for demo data).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from courses.admissions.rules import TRAINED_STATUSES
from courses.models import Application, ApplicationEvent, ApplicationStatus, Cohort, CohortStatus
from trainees.models import Trainee

PER_SCALE = 1250
S = ApplicationStatus
MOTIVATIONS = [
    "Saya ingin bekerja di kawasan industri Batang setelah pelatihan.",
    "Saya lulusan SMK dan ingin menambah keterampilan agar siap kerja.",
    "Saya ingin membuka usaha sendiri di desa setelah belajar di STC.",
    "Pelatihan ini sesuai jurusan saya dan dibutuhkan perusahaan di KITB.",
]
NOT_ACCEPTED_REASON = "Nilai seleksi di bawah batas penerimaan angkatan ini."


def _path(status: str) -> list[str]:
    """The statuses an application went through to reach `status`."""
    paths = {
        S.SUBMITTED: [S.SUBMITTED],
        S.DOCUMENTS_VERIFIED: [S.SUBMITTED, S.DOCUMENTS_VERIFIED],
        S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
        S.NOT_ACCEPTED: [S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.NOT_ACCEPTED],
        S.IN_TRAINING: [S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.ACCEPTED, S.CONFIRMED, S.IN_TRAINING],
    }
    if status in paths:
        return paths[status]
    return paths[S.IN_TRAINING] + [status]  # passed, not passed, dropped out


def _status(cohort: Cohort, stage: str, seat: int, rng: random.Random) -> str:
    if stage in (CohortStatus.OPEN, CohortStatus.UPCOMING):
        return S.WITHDRAWN if rng.random() < 0.05 else S.SUBMITTED
    if stage == CohortStatus.CLOSED:
        roll = rng.random()
        return S.WITHDRAWN if roll < 0.05 else S.DOCUMENTS_VERIFIED if roll < 0.6 else S.SUBMITTED
    if stage == CohortStatus.CANCELLED:
        return S.WITHDRAWN
    if seat >= cohort.capacity:
        return S.NOT_ACCEPTED
    if stage == CohortStatus.IN_TRAINING:
        return S.IN_TRAINING
    roll = rng.random()
    return S.PASSED if roll < 0.85 else S.NOT_PASSED if roll < 0.93 else S.DROPPED_OUT


def seed(scale: int = 1) -> dict[str, int]:
    rng = random.Random(f"courses.applications:{scale}")
    now = timezone.now()
    cohorts = list(Cohort.objects.select_related("program").order_by("training_start", "code"))
    trainees = list(
        Trainee.objects.filter(user__email__startswith="pencari", nik__isnull=False)
        .exclude(user__email="pencari@demo.stc-batang.id")
        .order_by("user__email")
        .values_list("pk", flat=True)
    )
    if not cohorts or not trainees:
        return {"applications": 0, "application events": 0}
    stages = {c.pk: c.status_at(now) for c in cohorts}
    upcoming = [c for c in cohorts if stages[c.pk] in (CohortStatus.OPEN, CohortStatus.CLOSED)]
    past = [c for c in cohorts if c not in upcoming]

    # Each person: at most one application still in the running, plus past ones.
    wanted: list[tuple[int, Cohort]] = []
    target = PER_SCALE * scale
    i = 0
    while len(wanted) < target and i < len(trainees) * 6:
        trainee_id = trainees[i % len(trainees)]
        round_number = i // len(trainees)
        pool = upcoming if round_number == 0 and upcoming else past or upcoming
        wanted.append((trainee_id, pool[rng.randrange(len(pool))]))
        i += 1
    wanted = list(dict.fromkeys((t, c.pk) for t, c in wanted))  # one per person and cohort
    by_pk = {c.pk: c for c in cohorts}

    existing = set(Application.objects.values_list("trainee_id", "cohort_id"))
    seats: dict[int, int] = {}
    new = []
    for trainee_id, cohort_id in wanted:
        cohort = by_pk[cohort_id]
        seat = seats.get(cohort_id, 0)
        status = _status(cohort, stages[cohort_id], seat, rng)
        if status in TRAINED_STATUSES:
            seats[cohort_id] = seat + 1
        if (trainee_id, cohort_id) in existing:
            continue
        applied = cohort.registration_opens_at + datetime.timedelta(hours=rng.randint(1, 24 * 5))
        applied = min(applied, now - datetime.timedelta(days=3 * len(_path(status))))
        new.append(
            Application(
                trainee_id=trainee_id,
                cohort_id=cohort_id,
                motivation=rng.choice(MOTIVATIONS),
                status=status,
                status_changed_at=applied + datetime.timedelta(days=3 * (len(_path(status)) - 1)),
                facts={"seeded": True},
            )
        )
    Application.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    # The rows just written are the ones without a timeline yet.
    ids = {
        (a.trainee_id, a.cohort_id): a
        for a in Application.objects.filter(events__isnull=True).only(
            "pk", "trainee_id", "cohort_id"
        )
    }
    events = []
    for application in new:
        saved = ids.get((application.trainee_id, application.cohort_id))
        if saved is None:
            continue
        previous = ""
        at = application.status_changed_at
        for step, status in enumerate(_path(application.status)):
            events.append(
                ApplicationEvent(
                    application_id=saved.pk,
                    from_status=previous,
                    to_status=status,
                    reason=NOT_ACCEPTED_REASON if status == S.NOT_ACCEPTED else "",
                    created_at=at + datetime.timedelta(days=step * 3),
                )
            )
            previous = status
    ApplicationEvent.objects.bulk_create(events, batch_size=5000)
    return {"applications": len(new), "application events": len(events)}
