"""The Django side of `make faults` (bench/faults.py), run under the portal's settings.

fault_fixtures.py prepare WORKDIR       what the load loop requests (one JSON line)
fault_fixtures.py digests COUNT TAG     queue COUNT digests on the bulk queue (ids)
fault_fixtures.py check PHASE.json      what the database says about a phase's writes
                                        and the outbox rows created since its start
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "batang_portal.settings")

import django  # noqa: E402

django.setup()

from bench.fixtures import (  # noqa: E402
    _eligible_job_seekers,
    _People,
    csrf_secret,
    session_for,
)

APPLIERS = 1500


def prepare(workdir: Path) -> dict:
    from django.db.models import Count

    from accounts.models import User
    from courses.catalogue.selectors import cohort_list_open

    everyone = _People()
    open_cohorts = sorted(
        cohort_list_open().select_related("program"),
        key=lambda c: (bool(c.program.min_education), -(c.program.max_age or 99), c.pk),
    )
    appliers, cohort = [], None
    for candidate in open_cohorts[:12]:
        appliers = _eligible_job_seekers(everyone, candidate, wanted=APPLIERS, exclude=set())
        if appliers:
            cohort = candidate
            break
    if cohort is None:
        raise SystemExit("no open cohort that enough job seekers may apply to")
    used = {t.pk for t in appliers}
    others = [t for t in everyone.trainees if t.pk not in used]
    busiest = (
        User.objects.filter(role=User.Role.JOB_SEEKER, trainee__isnull=False)
        .annotate(n=Count("trainee__applications"))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "anonymous": ["/", "/courses/", "/vacancies/", "/stats/"],
        "me_cookie": f"sessionid={session_for(busiest)}",
        "cohort_id": cohort.pk,
        "appliers": [
            {
                "path": cohort.get_apply_url(),
                "session": session_for(t.user),
                "csrf": csrf_secret(),
                "trainee_id": t.pk,
            }
            for t in appliers
        ],
        # Password resets (time-critical mail), one address each (3 per address an hour).
        "reset_emails": [t.user.email for t in others[:2000]],
        "digest_user_ids": [t.user_id for t in others[2000:3000]],
    }


def digests(count: int, tag: str) -> list[int]:
    """Queue `count` weekly digests as the Monday job does: bulk rows, batches of 50."""
    from django.db import transaction

    from accounts.models import User
    from notifications.kinds import Kind
    from notifications.services import notification_bulk_send, notification_queue

    context = {
        "vacancies": [
            {
                "title": "Operator Mesin",
                "employer": "PT Maju Jaya",
                "location": "KEK Batang",
                "closes_on": datetime.date.today() + datetime.timedelta(days=30),
                "url": "/vacancies/",
            }
        ],
        "url": "/vacancies/",
    }
    users = User.objects.filter(email__startswith="pelamar-bench").order_by("-pk")[:count]
    with transaction.atomic():
        ids = [
            notification_queue(
                kind=Kind.GRADUATE_VACANCY_DIGEST,
                recipient=user,
                context=context,
                dedup_key=f"faults:{tag}:{user.pk}",
                bulk=True,
            ).pk
            for user in users
        ]
        notification_bulk_send(notification_ids=ids)
    return ids


def check(phase_file: Path) -> dict:
    """Which reported writes committed, and every outbox row created since the start."""
    from accounts.models import User
    from courses.models import Application
    from notifications.models import Notification

    phase = json.loads(phase_file.read_text())
    since = datetime.datetime.fromtimestamp(phase["started"], tz=datetime.UTC)
    signed_up = set(User.objects.filter(email__in=phase["signups"]).values_list("email", flat=True))
    applied = set(
        Application.objects.filter(
            cohort_id=phase["cohort_id"], trainee_id__in=phase["applies"]
        ).values_list("trainee_id", flat=True)
    )
    withdrawn = set(
        Application.objects.filter(
            pk__in=phase["withdraws"], status=Application.Status.WITHDRAWN
        ).values_list("pk", flat=True)
    )
    rows = Notification.objects.filter(created_at__gte=since).values_list(
        "pk", "state", "kind", "last_error"
    )
    return {
        "signed_up": sorted(signed_up),
        "applied": sorted(applied),
        "withdrawn": sorted(withdrawn),
        "outbox": [[pk, state, kind, error[:80]] for pk, state, kind, error in rows],
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        result = prepare(Path(sys.argv[2]))
    elif command == "digests":
        result = digests(int(sys.argv[2]), sys.argv[3])
    elif command == "check":
        result = check(Path(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result, default=str))
