"""Demo data of the reports app, called by `manage.py seed_demo` (core), after courses
and placements: placement tracer rounds for the demo graduates, so /stats/ shows people
placed in work.

Every graduate whose training ended 3 (6) months ago or more has a round-3 (round-6)
survey; about two thirds answered, and of those who answered about two thirds work
(more in the sixth month). Only missing (application, round) pairs are written, in bulk,
without e-mails; each pair draws from its own seeded generator, so the answers do not
depend on what existed before.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from core.cache import public_cache_bump
from courses.models import Application

from .models import SalaryBand, TracerRound, TracerSurvey
from .selectors import dashboard_cache_clear
from .selectors.tracer import add_months
from .views import STATS_CACHE

EMPLOYERS = [
    "PT KCC Glass Indonesia",
    "PT Sepatu Industropolis",
    "PT Surya Panel Batang",
    "PT Baterai Listrik Nusantara",
    "CV Mebel Jati Batang",
    "PT Pangan Sehat Kandeman",
]
BANDS = [
    SalaryBand.BELOW_UMK,
    SalaryBand.UMK_TO_3_5M,
    SalaryBand.UMK_TO_3_5M,
    SalaryBand.UMK_TO_3_5M,
    SalaryBand.FROM_3_5M_TO_5M,
    SalaryBand.ABOVE_5M,
    SalaryBand.NOT_SAID,
]


def _answer(rng: random.Random, round: int, worked_before: bool) -> dict:
    if rng.random() > 0.65:
        return {}
    working = worked_before or rng.random() < (0.6 if round == 3 else 0.7)
    if not working:
        return {"working": False}
    return {
        "working": True,
        "employer_name": rng.choice(EMPLOYERS) if rng.random() < 0.8 else "",
        "salary_band": rng.choice(BANDS),
        "related_to_training": rng.random() < 0.75,
    }


def seed(rng: random.Random, scale: int = 1) -> dict[str, int]:
    today = timezone.localdate()
    salt = rng.getrandbits(32)
    existing = set(TracerSurvey.objects.values_list("application_id", "round"))
    graduates = (
        Application.objects.filter(
            status=Application.Status.PASSED,
            cohort__training_end__lte=add_months(today, -TracerRound.THREE),
        )
        .select_related("cohort")
        .order_by("pk")
    )
    new = []
    for application in graduates:
        worked = False
        for round in TracerRound:
            asked_on = add_months(application.cohort.training_end, round)
            if asked_on > today:
                break
            pair_rng = random.Random(f"{salt}:{application.pk}:{int(round)}")
            answer = _answer(pair_rng, round, worked)
            worked = worked or answer.get("working", False)
            if (application.pk, int(round)) in existing:
                continue
            sent_at = timezone.make_aware(datetime.datetime.combine(asked_on, datetime.time(8)))
            answered_at = (
                sent_at + datetime.timedelta(hours=pair_rng.randint(1, 240)) if answer else None
            )
            new.append(
                TracerSurvey(
                    application=application,
                    round=round,
                    sent_at=sent_at,
                    answered_at=answered_at,
                    **answer,
                )
            )
    TracerSurvey.objects.bulk_create(new, batch_size=1000)
    dashboard_cache_clear()
    public_cache_bump(STATS_CACHE)
    return {"tracer surveys": len(new)}
