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
# A person's own pages (dashboards, profile, job applications, an application): rendered
# per person, so not held to the cached pages' 0.5; 0.1 of the hello ceiling is about
# 250 req/s on the slower machine, ten times what the opening hour of an intake needs.
LOGGED_IN_GOAL = 0.1
# Applying writes (one transaction, the cohort's seat rules, the outbox): 0.05.
APPLY_GOAL = 0.05
# Staff pages: a few dozen staff, each waiting for every page of the list they work
# through. Measured with 4 connections (four staff clicking at the same instant on the
# two workers), not 16: at 16 the median is mostly queueing (16 / req/s), which is what
# made the old "p50 2.0 s" figure. Goal: the median answer at most 300 ms.
STAFF_P50_MS = 300
STAFF_CONNECTIONS = 4


def session_for(user) -> str:
    """Create a real logged-in session for `user` and return its key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.EmailBackend"  # the one that logs in
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def csrf_secret() -> str:
    return get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)


def catalogue_pages(counts: dict) -> list[dict]:
    from courses.catalogue.selectors import cohort_list_open
    from courses.models import Cohort, Program

    counts["programs"] = Program.objects.count()
    counts["cohorts"] = Cohort.objects.count()
    # The program whose page is busiest on an intake day: one with registration open.
    cohort = cohort_list_open().select_related("program").first()
    program = cohort.program if cohort else Program.objects.filter(is_published=True).first()
    return [
        {"name": "home (anonymous)", "path": "/", "goal": PUBLIC_GOAL, "cached": True},
        {"name": "catalogue (anonymous)", "path": "/courses/", "goal": PUBLIC_GOAL, "cached": True},
        {
            "name": "catalogue, filtered page 2 (anonymous)",
            "path": "/courses/?open=1&page=2",
            "goal": PUBLIC_GOAL,
            "cached": True,
        },
        {
            "name": "program detail (anonymous)",
            "path": f"/courses/{program.slug}/",
            "goal": PUBLIC_GOAL,
            "cached": True,
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
        {
            "name": "vacancy board (anonymous)",
            "path": "/vacancies/",
            "goal": PUBLIC_GOAL,
            "cached": True,
        },
        {
            "name": "vacancy board, filtered page 2 (anonymous)",
            "path": "/vacancies/?zone=kitb&education=smk&page=2",
            "goal": PUBLIC_GOAL,
            "cached": True,
        },
        {
            "name": "vacancy detail (anonymous)",
            "path": f"/vacancies/{vacancy.pk}/",
            "goal": PUBLIC_GOAL,
            "cached": True,
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


BENCH_PEOPLE = 6000


def _ensure_bench_people() -> None:
    """Applicants of the benchmark's own: complete profiles like the demo login's.

    Most demo job seekers already hold an application in an intake that is open now, so
    the one-program-per-intake rule keeps them out; the surge needs thousands of fresh
    people. Idempotent: created once per benchmark database.
    """
    import datetime

    from accounts.models import User
    from trainees.demo import DEMO_EMAIL, _password_hash
    from trainees.models import Trainee
    from trainees.nik import nik_compose

    if User.objects.filter(email__startswith="pelamar-bench").count() >= BENCH_PEOPLE:
        return
    template = Trainee.objects.get(user__email=DEMO_EMAIL)
    users = [
        User(
            email=f"pelamar-bench{i:05d}@bench.stc-batang.id",
            full_name=f"Pelamar Bench {i}",
            phone=f"+62812{i:08d}",
            password=_password_hash(),
            role=User.Role.JOB_SEEKER,
        )
        for i in range(BENCH_PEOPLE)
    ]
    User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
    ids = dict(User.objects.filter(email__startswith="pelamar-bench").values_list("email", "pk"))
    fields = {
        f.name: getattr(template, f.name)
        for f in Trainee._meta.concrete_fields
        if f.name not in {"id", "user", "nik", "registered_by", "created_at", "updated_at"}
    }
    birth = datetime.date(2003, 3, 3)
    trainees = [
        Trainee(
            **{
                **fields,
                "birth_date": birth,
                "gender": "male",
                "nik_warnings": [],
                "user_id": ids[u.email],
                "nik": nik_compose(
                    regency="3325", kecamatan="99", birth_date=birth, gender="male", serial=i + 1
                ),
            }
        )
        for i, u in enumerate(users)
    ]
    Trainee.objects.bulk_create(trainees, batch_size=2000, ignore_conflicts=True)


class _People:
    """The benchmark's applicants with their applications and document kinds."""

    def __init__(self):
        from collections import defaultdict

        from courses.models import Application
        from trainees.models import Document, Trainee

        _ensure_bench_people()
        # Every run starts from people who applied nowhere: an earlier run's applications
        # would keep them out of this intake (one program per intake) and the run would
        # find nobody left to apply.
        Application.objects.filter(trainee__user__email__startswith="pelamar-bench").delete()
        self.trainees = list(
            Trainee.objects.filter(user__email__startswith="pelamar-bench")
            .select_related("user")
            .order_by("pk")
        )
        self.applications = defaultdict(list)
        for application in Application.objects.filter(
            trainee__user__email__startswith="pelamar-bench"
        ).select_related("cohort__program"):
            self.applications[application.trainee_id].append(application)
        self.documents = defaultdict(set)
        for trainee_id, kind in Document.objects.values_list("trainee_id", "kind"):
            self.documents[trainee_id].add(kind)


def _eligible_job_seekers(people: _People, cohort, *, wanted: int, exclude: set[int]) -> list:
    """Demo job seekers who may apply to `cohort`, given the documents it requires.

    The demo data gives documents to the demo login only; the benchmark's own database
    gets document rows (all pointing at one stored PDF) for the people it picks. The
    portal's own eligibility rules decide, evaluated in memory over prefetched rows.
    """
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from courses.admissions.eligibility import eligibility_evaluate
    from trainees.models import Document

    shared = "documents/bench-shared.pdf"
    if not default_storage.exists(shared):
        default_storage.save(shared, ContentFile(b"%PDF-1.4\n%bench\n"))
    required = set(cohort.program.required_documents or [])
    chosen, new_documents = [], []
    for trainee in people.trainees:
        if trainee.pk in exclude or any(
            a.cohort_id == cohort.pk for a in people.applications[trainee.pk]
        ):
            continue
        result = eligibility_evaluate(
            trainee=trainee,
            cohort=cohort,
            documents=people.documents[trainee.pk] | required,
            other_applications=people.applications[trainee.pk],
        )
        if not result.eligible:
            continue
        chosen.append(trainee)
        if len(chosen) == wanted:
            break
    if len(chosen) < wanted:
        return []
    for trainee in chosen:
        new_documents += [
            Document(trainee=trainee, kind=k, file=shared, content_type="application/pdf", size=16)
            for k in required - people.documents[trainee.pk]
        ]
        people.documents[trainee.pk] |= required
    Document.objects.bulk_create(new_documents, batch_size=2000)
    return chosen


def _post_list(workdir: Path, name: str, path: str, trainees) -> str:
    lines = [f"{path} {session_for(t.user)} {csrf_secret()}" for t in trainees]
    target = workdir / f"{name}.txt"
    target.write_text("\n".join(lines) + "\n")
    return str(target)


def job_seeker_pages(counts: dict, workdir: Path) -> tuple[list[dict], dict]:
    from django.db.models import Count

    from accounts.models import User
    from courses.catalogue.selectors import cohort_list_open
    from courses.models import Application

    counts["job seekers"] = User.objects.filter(role=User.Role.JOB_SEEKER).count()
    counts["applications"] = Application.objects.count()
    pages: list[dict] = []
    busiest = (
        User.objects.filter(role=User.Role.JOB_SEEKER, trainee__isnull=False)
        .annotate(n=Count("trainee__applications"))
        .order_by("-n", "pk")
        .first()
    )
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_for(busiest)}"
    newest = Application.objects.filter(trainee__user=busiest).order_by("-created_at").first()
    pages += [
        {
            "name": "job seeker dashboard (logged in)",
            "path": "/me/",
            "cookie": cookie,
            "goal": LOGGED_IN_GOAL,
        },
        {
            "name": "profile (logged in)",
            "path": "/me/profile/",
            "cookie": cookie,
            "goal": LOGGED_IN_GOAL,
        },
        {
            "name": "job applications (logged in)",
            "path": "/me/jobs/",
            "cookie": cookie,
            "goal": LOGGED_IN_GOAL,
        },
    ]
    if newest is not None:
        pages.append(
            {
                "name": "an application's page (logged in)",
                "path": newest.get_absolute_url(),
                "cookie": cookie,
                "goal": LOGGED_IN_GOAL,
            }
        )
    # Intake day: pick open cohorts that enough demo job seekers may apply to.
    picked: list = []
    taken: set[int] = set()
    everyone = _People()
    # Programs with the widest eligibility first (no education or age limits), few tried.
    open_cohorts = cohort_list_open().select_related("program")
    candidates = sorted(
        open_cohorts,
        key=lambda c: (bool(c.program.min_education), -(c.program.max_age or 99), c.pk),
    )[:12]
    for cohort in candidates:
        wanted = 3000 if not picked else 2000
        people = _eligible_job_seekers(everyone, cohort, wanted=wanted, exclude=taken)
        if len(people) == wanted:
            picked.append((cohort, people))
            taken |= {t.pk for t in people}
            if len(picked) == 2:
                break
    if len(picked) < 2:
        return pages, {}
    (apply_cohort, appliers), (surge_cohort, surgers) = picked
    pages.append(
        {
            "name": "apply POST (distinct job seekers, CSRF)",
            "path": apply_cohort.get_apply_url(),
            "post_list": _post_list(workdir, "apply", apply_cohort.get_apply_url(), appliers),
            "post_extra": "&motivation=Saya+ingin+bekerja+di+KEK+Batang.",
            "goal": APPLY_GOAL,
        }
    )
    staff = User.objects.filter(email="bench-staf@bench.stc-batang.id").first()
    if staff is None:
        staff = User.objects.create_superuser("bench-staf@bench.stc-batang.id", None)
    pages += staff_pages(apply_cohort)
    scenarios = {
        "surge": {
            "cohort_id": surge_cohort.pk,
            "path": surge_cohort.get_apply_url(),
            "entries": _post_list(workdir, "surge", surge_cohort.get_apply_url(), surgers),
            "connections": 64,
        }
    }
    counts["surge job seekers"] = len(surgers)
    used = {apply_cohort.pk, surge_cohort.pk}
    race_cohort = next((c for c in open_cohorts if c.pk not in used), None)
    racers = [t for t in everyone.trainees if t.pk not in taken][:SEAT_RACE_PEOPLE]
    if race_cohort is not None and len(racers) == SEAT_RACE_PEOPLE:
        scenarios["seat_race"] = seat_race_prepare(workdir, race_cohort, racers)
        counts["seat race offers"] = len(racers)
    return pages, scenarios


def staff_pages(cohort) -> list[dict]:
    """The admin pages staff work through all day, as a superuser."""
    from accounts.models import User
    from placements.models import Vacancy

    staff = User.objects.filter(email="bench-staf@bench.stc-batang.id").first()
    if staff is None:
        staff = User.objects.create_superuser("bench-staf@bench.stc-batang.id", None)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_for(staff)}"
    staff_page = {
        "cookie": cookie,
        "goal": None,
        "goal_p50_ms": STAFF_P50_MS,
        "connections": STAFF_CONNECTIONS,
    }
    # A name many job seekers share: the search that lists the most.
    return [
        {
            "name": "admin applications of one cohort (staff)",
            "path": f"/admin/courses/application/?cohort__id__exact={cohort.pk}",
            **staff_page,
        },
        {
            "name": "admin job seekers, searched by name (staff)",
            "path": "/admin/trainees/trainee/?q=Siti",
            **staff_page,
        },
        {
            "name": "admin vacancies waiting for review (staff)",
            "path": f"/admin/placements/vacancy/?status__exact={Vacancy.Status.SUBMITTED}",
            **staff_page,
        },
        {
            "name": "admin cohort selection preview (staff)",
            "path": f"/admin/courses/cohort/{cohort.pk}/selection/",
            **staff_page,
        },
    ]


SEAT_RACE_PEOPLE = 200


def seat_race_prepare(workdir: Path, cohort, racers) -> dict:
    """200 people on the reserve list, each holding an open offer, and one free seat.

    The portal itself offers one seat per free seat; this is the state after staff
    lowered the capacity with the offers out (or any bug that over-offers): every
    holder accepts at the same moment and exactly one may win. Rebuilt on every run.
    """
    import datetime

    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from courses.admissions.rules import SEAT_HOLDING_STATUSES
    from courses.models import Application, Cohort, SeatOffer

    now = timezone.now()
    with transaction.atomic():
        # Every earlier run's racers, whoever they were (the people picked vary by run).
        Application.objects.filter(
            cohort=cohort, trainee__user__email__startswith="pelamar-bench"
        ).delete()
        last = (
            Application.objects.filter(cohort=cohort).aggregate(n=Max("reserve_position"))["n"] or 0
        )
        applications = Application.objects.bulk_create(
            Application(
                trainee=t,
                cohort=cohort,
                motivation="Cadangan (bench)",
                status=Application.Status.RESERVE,
                reserve_position=last + 1 + i,
            )
            for i, t in enumerate(racers)
        )
        taken = Application.objects.filter(cohort=cohort, status__in=SEAT_HOLDING_STATUSES).count()
        held = SeatOffer.objects.filter(cohort=cohort, state=SeatOffer.State.OPEN).count()
        SeatOffer.objects.bulk_create(
            SeatOffer(
                application=a,
                cohort=cohort,
                created_at=now + datetime.timedelta(microseconds=i),
                expires_at=now + datetime.timedelta(hours=48),
            )
            for i, a in enumerate(applications)
        )
        # One seat left for the 200 offers (and whatever offers the demo had out).
        Cohort.objects.filter(pk=cohort.pk).update(capacity=taken + held + 1)
    offers = dict(
        SeatOffer.objects.filter(application__in=applications).values_list(
            "application__trainee_id", "pk"
        )
    )
    from django.urls import reverse

    lines = [
        f"{reverse('courses:offer-detail', args=[offers[t.pk]])} {session_for(t.user)} "
        f"{csrf_secret()}"
        for t in racers
    ]
    entries = workdir / "seat_race.txt"
    entries.write_text("\n".join(lines) + "\n")
    return {
        "cohort_id": cohort.pk,
        "application_ids": [a.pk for a in applications],
        "entries": str(entries),
        "connections": SEAT_RACE_PEOPLE,
    }


def main(workdir: Path) -> dict:
    counts: dict = {}
    pages = catalogue_pages(counts) + vacancy_pages(counts)
    seeker_pages, scenarios = job_seeker_pages(counts, workdir)
    pages += seeker_pages
    scenarios["mail_fanout"] = {"count": int(os.environ.get("BENCH_MAILS", 10_000))}
    scenarios["whatsapp_fanout"] = {
        "count": int(os.environ.get("BENCH_WHATSAPP", 10_000)),
        "concurrency": int(os.environ.get("BENCH_WHATSAPP_CONCURRENCY", 4)),
    }
    return {"pages": pages, "scenarios": scenarios, "counts": counts}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
