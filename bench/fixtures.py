"""Prepare what the benchmark requests: page paths, logged-in sessions, POST lists.

Run by bench/run.py under the portal's settings; prints one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "batang_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

PUBLIC_GOAL = 0.5
LOGGED_IN_GOAL = 0.1
APPLY_GOAL = 0.15


def session_for(user) -> str:
    """Create a real logged-in session for `user` and return its key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def csrf_secret() -> str:
    return get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)


def catalogue_pages(counts: dict) -> list[dict]:
    from courses.models import Cohort, Program
    from courses.selectors import cohort_list_open

    counts["programs"] = Program.objects.count()
    counts["cohorts"] = Cohort.objects.count()
    # The program whose page is busiest on an intake day: one with registration open.
    cohort = cohort_list_open().select_related("program").first()
    program = cohort.program if cohort else Program.objects.filter(is_published=True).first()
    return [
        {"name": "home (anonymous)", "path": "/", "goal": PUBLIC_GOAL},
        {"name": "catalogue (anonymous)", "path": "/courses/", "goal": PUBLIC_GOAL},
        {
            "name": "catalogue, filtered page 2 (anonymous)",
            "path": "/courses/?open=1&page=2",
            "goal": PUBLIC_GOAL,
        },
        {
            "name": "program detail (anonymous)",
            "path": f"/courses/{program.slug}/",
            "goal": PUBLIC_GOAL,
        },
    ]


def vacancy_pages(counts: dict) -> list[dict]:
    """The vacancy board (anonymous, cached) and an employer's dashboard (logged in)."""
    from django.db.models import Count

    from placements.models import Employer, EmployerMember, Vacancy
    from placements.selectors import vacancy_list_public

    counts["vacancies"] = Vacancy.objects.count()
    vacancy = vacancy_list_public().first()
    if vacancy is None:
        return []
    # The busiest employer: the dashboard with the most vacancies.
    busiest = Employer.objects.annotate(n=Count("vacancies")).order_by("-n", "pk").first()
    member = EmployerMember.objects.select_related("user").filter(employer=busiest).first()
    pages = [
        {"name": "vacancy board (anonymous)", "path": "/vacancies/", "goal": PUBLIC_GOAL},
        {
            "name": "vacancy board, filtered page 2 (anonymous)",
            "path": "/vacancies/?zone=kitb&education=smk&page=2",
            "goal": PUBLIC_GOAL,
        },
        {
            "name": "vacancy detail (anonymous)",
            "path": f"/vacancies/{vacancy.pk}/",
            "goal": PUBLIC_GOAL,
        },
    ]
    if member is not None:
        pages.append(
            {
                "name": "employer dashboard (logged in)",
                "path": "/employers/",
                "goal": LOGGED_IN_GOAL,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session_for(member.user)}",
            }
        )
    return pages


def main(workdir: Path) -> dict:
    counts: dict = {}
    pages = catalogue_pages(counts) + vacancy_pages(counts)
    scenarios: dict = {}
    return {"pages": pages, "scenarios": scenarios, "counts": counts}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
