"""Where does a page's time go? `python bench/profile_page.py PATH [--user EMAIL] [--post k=v ...]`

Runs the request in-process against the benchmark database (production settings, as
`make bench` serves them), `--warm` times first to fill caches, then `--n` times under
the clock; prints the mean milliseconds and queries per request and, with `--profile`,
a pyinstrument call tree of the timed requests (`pip install pyinstrument`).

For a POST that creates something (apply), `--post` with `--users N` takes a fresh
benchmark applicant per request (`pelamar-bench*`), like the benchmark does.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--user", help="log in as this e-mail (session in the cache)")
    parser.add_argument("--post", nargs="*", help="POST these k=v fields instead of GET")
    parser.add_argument(
        "--users",
        action="store_true",
        help="with --post to an apply URL: each request from a fresh eligible applicant",
    )
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--flat",
        choices=["self", "total"],
        help="with --profile: a flat list of functions by their own (or total) time",
    )
    args = parser.parse_args()

    from run import portal_env

    os.environ.update(portal_env(8000))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "batang_portal.settings")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", "--noinput", verbosity=0)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from fixtures import session_for

    from accounts.models import User

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    if args.user:
        client.force_login(User.objects.get(email=args.user))
    data = dict(item.split("=", 1) for item in args.post) if args.post is not None else None
    fresh = iter(_fresh_applicants(args.path, args.warm + args.n) if args.users else ())

    def once():
        if args.users:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_for(next(fresh).user)
        response = client.get(args.path) if data is None else client.post(args.path, data)
        if response.status_code >= 400:
            raise SystemExit(f"{args.path}: HTTP {response.status_code}")
        return response

    for _ in range(args.warm):
        once()
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for _ in range(args.n):
            response = once()
        elapsed = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        print(
            profiler.output_text(
                unicode=True,
                color=False,
                show_all=os.environ.get("PROFILE_ALL") == "1",
                flat=bool(args.flat),
                flat_time=args.flat or "self",
            )
        )
    print(
        f"{args.path}: {1000 * elapsed / args.n:.2f} ms/request, "
        f"{len(queries) / args.n:.1f} queries/request, {len(response.content):,} bytes "
        f"(HTTP {response.status_code}, n={args.n})"
    )
    return 0


def _fresh_applicants(path: str, wanted: int) -> list:
    """Benchmark applicants who may apply to the cohort of apply URL `path`."""
    from django.urls import resolve
    from fixtures import _eligible_job_seekers, _People

    from courses.catalogue.selectors import cohort_get_for_apply

    match = resolve(path)
    cohort = cohort_get_for_apply(program_slug=match.kwargs["slug"], code=match.kwargs["code"])
    people = _eligible_job_seekers(_People(), cohort, wanted=wanted, exclude=set())
    if not people:
        raise SystemExit(f"fewer than {wanted} benchmark applicants may apply to {path}")
    return people


if __name__ == "__main__":
    sys.exit(main())
