"""Demo data of the welfare app, called by `manage.py seed_demo` (core), after courses:
cover policies and funding for every intake with people holding a seat, the register in
every state, incidents, payees and allowances paid.

Finished intakes: lines active, then ended with the training (one refused); intakes in
training: active, one refused (NIK not matched), cards received for
some; intakes starting soon: one batch sent awaiting the answer and reserve-list takers
still to register. Intakes that already have a policy are left alone (idempotent).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from courses.models import Cohort

from . import rules, services
from .models import (
    AllowancePayment,
    AllowanceRule,
    Coverage,
    CoverageStatus,
    CoverBatch,
    CoverPolicy,
    CoverStart,
    Incident,
    IncidentPlace,
    IntakeFunding,
    Payee,
    Payer,
    RefusalReason,
)
from .selectors import allowance_list_for_cohort

C = CoverageStatus
PAYERS = [Payer.PEMKAB, Payer.PEMKAB, Payer.STC, Payer.DBHCHT, Payer.SPONSOR]
BANKS = [("bank", "BRI"), ("bank", "Bank Jateng"), ("ewallet", "DANA"), ("ewallet", "GoPay")]


def _kpj(rng: random.Random) -> str:
    return "26" + "".join(str(rng.randrange(10)) for _ in range(9))


def seed(rng: random.Random, scale: int = 1) -> dict[str, int]:
    today = timezone.localdate()
    counts = {"policies": 0, "lines": 0, "incidents": 0, "payees": 0}
    cohorts = (
        Cohort.objects.filter(
            applications__status__in=rules.NEEDS_COVER | {"passed", "not_passed"},
            cover_policy__isnull=True,
        )
        .distinct()
        .order_by("training_start", "pk")
    )
    for index, cohort in enumerate(cohorts):
        with transaction.atomic():
            counts["policies"] += 1
            _seed_cohort(rng, cohort, index, today, counts)
    return counts


def _seed_cohort(rng, cohort, index, today, counts) -> None:
    payer = PAYERS[index % len(PAYERS)]
    CoverPolicy.objects.create(
        cohort=cohort,
        payer=payer,
        sponsor_name="PT KCC Glass Indonesia" if payer == Payer.SPONSOR else "",
        start_rule=CoverStart.REREGISTRATION if index % 3 == 0 else CoverStart.FIRST_DAY,
    )
    IntakeFunding.objects.create(
        cohort=cohort,
        source=payer,
        budget_line="5.2.2.01 Belanja pelatihan" if payer != Payer.SPONSOR else "CSR",
        allowance_rule=[AllowanceRule.PER_DAY, AllowanceRule.LUMP_SUM, AllowanceRule.NONE][
            index % 3
        ],
        allowance_amount=[Decimal(50000), Decimal(1500000), Decimal(0)][index % 3],
        min_applicants=cohort.capacity,
        viability_date=cohort.training_start - datetime.timedelta(days=14),
    )
    # Lines for everyone who holds or held a seat.
    for application in cohort.applications.filter(
        status__in=rules.NEEDS_COVER | {"passed", "not_passed", "dropped_out"}
    ).filter(coverage__isnull=True):
        Coverage.objects.create(application=application, cohort=cohort)
    # With each line's person: the payees below name them (a query per line otherwise).
    lines = list(
        Coverage.objects.filter(cohort=cohort)
        .select_related("cohort", "application__trainee__user")
        .order_by("pk")
    )
    counts["lines"] += len(lines)
    if not lines:
        return
    if cohort.training_start - today > datetime.timedelta(days=21):
        return  # far ahead: everyone still to register
    sent_on = min(today, cohort.training_start - datetime.timedelta(days=7))
    held_back = lines[-2:] if cohort.training_start > today else []  # reserve takers
    batch = CoverBatch.objects.create(cohort=cohort, number=1, sent_on=sent_on)
    for line in lines:
        if line in held_back:
            continue
        services.coverage_send_in_batch(coverage=line, batch=batch, actor=None, today=sent_on)
    if cohort.training_start > today + datetime.timedelta(days=3):
        return  # the branch has not answered yet
    for position, line in enumerate(lines):
        if line in held_back:
            continue
        if position == 1:
            services.coverage_transition(
                coverage=line,
                to=C.REFUSED,
                actor=None,
                refusal_reason=RefusalReason.NIK_NOT_MATCHED,
                reason_code="refused_imported",
            )
            continue
        services.coverage_transition(
            coverage=line,
            to=C.ACTIVE,
            actor=None,
            kpj_number=_kpj(rng),
            reason_code="kpj_imported",
            today=sent_on,
            notify=False,
        )
        if rng.random() < 0.6:
            line.card_received = True
            line.save(update_fields=["card_received"])
    services.coverage_sync_cohort(cohort=cohort, today=today)
    _seed_incidents_and_allowances(rng, cohort, lines, today, counts)


def _seed_incidents_and_allowances(rng, cohort, lines, today, counts) -> None:
    if cohort.training_start > today:
        return
    if rng.random() < 0.5:
        line = rng.choice(lines)
        moment = timezone.make_aware(
            datetime.datetime.combine(cohort.training_start, datetime.time(7, 10))
        )
        on_the_way = rng.random() < 0.7
        Incident.objects.create(
            application=line.application,
            occurred_at=moment,
            place="Jl. Raya Pantura, Kandeman" if on_the_way else "Bengkel las, STC Batang",
            setting=IncidentPlace.JOURNEY if on_the_way else IncidentPlace.WORKSHOP,
            witnesses="Ahmad (peserta), Sri (staf)",
            injury="Luka lecet di lengan kiri, dirawat di Puskesmas Kandeman.",
            reported_to_bpjs_at=moment + datetime.timedelta(hours=20),
            reported_to_bpjs_by="Staf pelatihan STC",
        )
        counts["incidents"] += 1
    for line in lines:
        method, provider = rng.choice(BANKS)
        Payee.objects.get_or_create(
            application=line.application,
            defaults={
                "method": method,
                "provider": provider,
                "account_number": "".join(str(rng.randrange(10)) for _ in range(12)),
                "account_name": line.application.trainee.user.full_name or "Peserta",
                # Entered by the trainee; most checked by staff, a few still to check.
                "entered_by": line.application.trainee.user,
                "verified_at": (
                    timezone.now() - datetime.timedelta(days=2) if rng.random() < 0.8 else None
                ),
            },
        )
        counts["payees"] += 1
    if cohort.training_end < today:
        for allowance in allowance_list_for_cohort(cohort=cohort, today=today):
            if allowance.amount and allowance.paid is None:
                AllowancePayment.objects.create(
                    application=allowance.application,
                    amount=allowance.amount,
                    paid_on=cohort.training_end + datetime.timedelta(days=7),
                )
