"""Demo demand statements and pledges in every state (called by `placements.demo.seed`).

Upserted on natural keys (statement: employer + track + quarter; pledge: employer +
intake), so running `seed_demo` again changes nothing. Settled pledges are judged on
placements the demo records for graduates of their intakes, so the figures agree with
the hires counted; their history is written once, as the door would have written it.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from core.cache import public_cache_bump
from courses.models import Application, ApplicationStatus, Cohort, Track

from ..models import Employer, JobSeekerPreference, Placement, placement_policy
from ..selectors import job_application_snapshot
from . import rules, selectors
from .models import DemandStatement, Pledge, PledgeEvent, PledgeInvitation

S = Pledge.Status
DEMO_NIB_PREFIX = "91202600"


def seed(rng: random.Random, *, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    employers = list(
        Employer.objects.filter(
            nib__startswith=DEMO_NIB_PREFIX, verified_at__isnull=False
        ).order_by("nib")[:8]
    )
    if len(employers) < 4:
        return {}
    statements = _demand(rng, employers, today)
    pledges = _pledges(employers, today)
    public_cache_bump("catalogue")
    return {"demand statements": statements, "pledges": pledges}


def _demand(rng, employers, today) -> int:
    umk = placement_policy().umk
    tracks = list(Track.objects.order_by("position", "pk"))
    if not tracks:
        return 0
    quarters = rules.quarters_from(today, 4)
    count = 0
    for n, employer in enumerate(employers):
        for k in range(2):
            track = tracks[(n + k) % len(tracks)]
            quarter = quarters[(n + k) % len(quarters)]
            upcoming = (
                Cohort.objects.filter(
                    program__track=track, is_cancelled=False, training_start__gt=today
                )
                .order_by("training_start", "code")
                .first()
            )
            low = umk + rng.randrange(0, 6) * 100_000
            DemandStatement.objects.update_or_create(
                employer=employer,
                track=track,
                quarter=quarter,
                defaults={
                    "program": upcoming.program if upcoming and k == 0 else None,
                    "headcount": rng.randrange(5, 61, 5),
                    "min_education": rng.choice(["sma", "smk", "d3", ""]),
                    "wage_min": low,
                    "wage_max": low + 400_000,
                    "skills": rng.choice(
                        [
                            "K3 dasar, membaca gambar teknik, kerja shift",
                            "Perawatan mesin, PLC dasar",
                            "Quality control, 5S, pencatatan produksi",
                        ]
                    ),
                    # The first statement of every other employer is already answered.
                    "cohort": upcoming if k == 0 and n % 2 == 0 else None,
                },
            )
            count += 1
    return count


def _graduates(cohort) -> list[int]:
    return list(
        Application.objects.filter(cohort=cohort, status=ApplicationStatus.PASSED)
        .order_by("trainee__user__email")
        .values_list("trainee__user_id", flat=True)
    )


def _pledges(employers, today) -> int:
    ended = [
        c
        for c in Cohort.objects.filter(is_cancelled=False, training_end__lt=today)
        .select_related("program")
        .order_by("-training_end", "code")[:40]
        if len(_graduates(c)) >= 4
    ]
    upcoming = list(
        Cohort.objects.filter(
            is_cancelled=False, training_end__gte=today, program__is_published=True
        ).order_by("training_start", "code")[:6]
    )
    if len(ended) < 2 or len(upcoming) < 3:
        return 0
    # (employer, cohort, target state, kind, seats, local share)
    plan = [
        (employers[0], upcoming[0], S.ACCEPTED, Pledge.Kind.INTERVIEW_ALL, None, 70),
        (employers[1], upcoming[0], S.ACCEPTED, Pledge.Kind.SEATS, 10, 70),
        (employers[2], upcoming[1], S.OFFERED, Pledge.Kind.SEATS, 8, None),
        (employers[3], upcoming[1], S.DECLINED, Pledge.Kind.SEATS, 30, None),
        (employers[0], upcoming[2], S.WITHDRAWN, Pledge.Kind.INTERVIEW_ALL, None, None),
        (employers[1], ended[0], S.ACCEPTED, Pledge.Kind.SEATS, 3, 70),  # window running
        (employers[2], ended[0], S.FULFILLED, Pledge.Kind.SEATS, 2, 50),
        (employers[3], ended[1], S.PARTLY_FULFILLED, Pledge.Kind.SEATS, 4, 70),
        (employers[0], ended[1], S.BROKEN, Pledge.Kind.SEATS, 3, None),
    ]
    hires = {S.FULFILLED: 2, S.PARTLY_FULFILLED: 1}
    graduates_taken: set[int] = set()
    for employer, cohort, state, kind, seats, share in plan:
        settled = state in rules.SETTLED
        end = cohort.training_end
        until = min(end + datetime.timedelta(days=60), today - datetime.timedelta(days=1))
        if not settled and cohort.training_end < today:
            until = today + datetime.timedelta(days=30)  # the window still runs
        pledge, _created = Pledge.objects.update_or_create(
            employer=employer,
            cohort=cohort,
            defaults={
                "kind": kind,
                "seats": seats,
                "wage_min": placement_policy().umk + 200_000,
                "wage_max": placement_policy().umk + 600_000,
                "start_from": min(end + datetime.timedelta(days=1), until),
                "start_until": until,
                "local_share": share,
                "note": "Penempatan di lini produksi, kerja shift." if seats else "",
                "status": state,
                "status_changed_at": timezone.now(),
            },
        )
        for person_id in [g for g in _graduates(cohort) if g not in graduates_taken][
            : hires.get(state, 0)
        ]:
            graduates_taken.add(person_id)
            Placement.objects.get_or_create(
                employer=employer,
                person_id=person_id,
                defaults={
                    "start_date": pledge.start_from,
                    "salary": pledge.wage_min,
                    "source": Placement.Source.OUTSIDE,
                    "note": "Demo: hired for a pledge.",
                },
            )
        if settled:
            numbers = selectors.pledge_numbers(pledge=pledge)
            pledge.hired_count = numbers["hired"]
            pledge.local_hired_count = numbers["local_hired"]
            pledge.invited_count = numbers["invited"]
            pledge.graduates_count = numbers["graduates"]
            pledge.status = rules.pledge_outcome(
                kind=kind, seats=seats, hired=numbers["hired"], invited=0, graduates=0
            )
            pledge.save()
        if state == S.ACCEPTED and cohort.training_end < today:
            _invite_one(pledge)
        if not pledge.events.exists():
            _history(pledge, state)
    return len(plan)


def _invite_one(pledge: Pledge) -> None:
    """The running pledge of an ended intake has invited one graduate who may be found."""
    person = (
        JobSeekerPreference.objects.filter(discoverable=True, user_id__in=_graduates(pledge.cohort))
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    if person is None or pledge.invitations.exists():
        return
    PledgeInvitation.objects.create(
        pledge=pledge,
        person=person.user,
        message="Kami mengundang Anda wawancara di kantor HRD, Senin pukul 09.00.",
        snapshot=job_application_snapshot(person=person.user),
    )


def _history(pledge: Pledge, state: str) -> None:
    """The events the door would have written on the way to `state`."""
    steps = [("", S.OFFERED)]
    if state != S.OFFERED:
        first = S.OFFERED if state in (S.DECLINED, S.WITHDRAWN, S.ACCEPTED) else S.ACCEPTED
        if state in (S.DECLINED, S.WITHDRAWN):
            steps.append((S.OFFERED, state))
        else:
            steps.append((S.OFFERED, S.ACCEPTED))
            if first == S.ACCEPTED:
                steps.append((S.ACCEPTED, pledge.status))
    for from_status, to_status in steps:
        data = {}
        reason = ""
        if to_status == S.DECLINED:
            reason = "Angkatan ini sudah penuh komitmen dari perusahaan lain."
        if to_status in rules.SETTLED:
            data = {
                "reason_code": "window_ended",
                "numbers": {
                    "hired": pledge.hired_count,
                    "local_hired": pledge.local_hired_count,
                    "invited": pledge.invited_count,
                    "graduates": pledge.graduates_count,
                },
            }
        PledgeEvent.objects.create(
            pledge=pledge, from_status=from_status, to_status=to_status, reason=reason, data=data
        )
