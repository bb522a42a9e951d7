"""Project-wide pytest setup and the fixtures every app's tests share.

CI sets PORTAL_FAIL_ON_SKIP=1: a test that skips (say, because a service is missing)
is then reported as a failure, so a green CI run means every test really ran.

Shared here: `postgres_only` (marker), `race` (threads released at once), `admin_action`,
`staff_client_for(role)` and the three clients of the real staff groups
(`training_staff_client`, `placement_officer_client`, `administrator_client`), and the
autouse defaults (fast password hashing, a private media folder per test, fresh rate
limits, the default language, eager Celery).
"""

import os
import threading

import pytest


def _uses_transactions(item) -> bool:
    """Whether pytest-django runs `item` as a transactional test (it orders those last)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


# The heaviest kinds of test first, within each of pytest-django's groups (see below).
HEAVY_FIRST = ("long", "bulk_data", "browser", "integration")


def pytest_collection_modifyitems(config, items):
    """Skip `postgres_only` tests on SQLite; start the longest tests first.

    pytest-django has ordered the tests: database tests, then transactional ones (they
    empty the database, so the data of the data migrations would be gone for a database
    test after them), then the rest. Within each group, tests marked `long`, then
    `bulk_data`, browser and integration tests go first. pytest-xdist hands the tests out
    in this order, one at a time (`--maxschedchunk=1` in pytest.ini), to whichever worker
    is free: each worker still runs the groups in order, and no worker is left at the end
    with a long test the other could have taken.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); CI runs it there")
        for item in items:
            if item.get_closest_marker("postgres_only"):
                item.add_marker(skip)

    group = {}
    for item in items:
        uses_db = item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ())
        group[item] = 1 if _uses_transactions(item) else (0 if uses_db else 2)

    def weight(item) -> int:
        return next(
            (rank for rank, name in enumerate(HEAVY_FIRST) if item.get_closest_marker(name)),
            len(HEAVY_FIRST),
        )

    items.sort(key=lambda item: (group[item], weight(item)))
    # One other test between two `long` ones: a worker takes its next test when it starts
    # one, so it cannot hold both and the other worker runs the second.
    for kind in set(group.values()):
        ordered = [item for item in items if group[item] == kind]
        long_ones = [item for item in ordered if item.get_closest_marker("long")]
        rest = [item for item in ordered if not item.get_closest_marker("long")]
        spread = []
        for index, item in enumerate(long_ones):
            spread += [item, *rest[index : index + 1]]
        spread += rest[len(long_ones) :]
        start = items.index(ordered[0])
        items[start : start + len(ordered)] = spread


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL each worker's test database is a copy of one migrated template, kept
    while the migrations stay the same (tests/db_template.py), instead of a migration each;
    the flush after a transactional test deletes the rows of the filled tables only."""
    from tests import db_template

    db_template.install()
    db_template.install_quick_flush()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("PORTAL_FAIL_ON_SKIP") == "1" and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped tests fail in CI (PORTAL_FAIL_ON_SKIP=1): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a `bulk_data` test has rolled back its thousands of rows, VACUUM ANALYZE the
    worker's test database (a fraction of a second). Without it the dead rows and stale
    planner statistics make the report queries of later tests on that worker crawl
    (the funnel report: 0.2 s alone, 8-10 s after the demo-scale tests)."""
    yield
    # The last test's teardown has dropped the test database: nothing follows to slow.
    if nextitem is None or not item.get_closest_marker("bulk_data"):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    if connection.vendor != "postgresql":
        return
    with item.config.stash[blocking_manager_key].unblock(), connection.cursor() as cursor:
        if not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")


@pytest.fixture(autouse=True)
def _indonesian_by_default(settings):
    """Every test starts in the portal's default language, whatever ran before."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run Celery tasks in-process in unit tests, even when REDIS_URL names a broker.

    Tests marked `integration` talk to a real worker instead. Mail queued through the
    outbox leaves after commit: wrap the action in
    `django_capture_on_commit_callbacks(execute=True)` to see it in `mail.outbox`.
    """
    if request.node.get_closest_marker("integration"):
        yield
        return
    from batang_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache_keys(settings, monkeypatch):
    """Each test counts its own rate limits (core.ratelimit) and has its own whole-page
    cache (core.cache), as if the cache were new: a page stored by an earlier test (with
    its data, or with hashed static URLs of a production-like server) is never served.

    Unique key prefixes instead of clearing the cache: in CI the cache is Redis, shared
    with the Celery broker, and must not be flushed.
    """
    import time
    import uuid

    test_id = uuid.uuid4().hex
    settings.RATELIMIT_KEY_PREFIX = f"rl-test-{test_id}"
    # The windows are fixed (10 minutes for log-ins): a test's 61 posts sent at 13:49:58
    # would be counted in two windows. The rate limiter's clock starts each test at the
    # start of a day, which starts every window from a minute to a day, and runs on with
    # the real clock (a test that moves `time.time` on moves it too).
    started = time.time()
    window_start = started // 86400 * 86400
    monkeypatch.setattr("core.ratelimit._now", lambda: window_start + (time.time() - started))
    settings.PUBLIC_PAGE_CACHE_PREFIX = f"public-page-test-{test_id}"


def _commits(request) -> bool:
    """Whether the test's writes commit (a transactional test, a live server)."""
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _person_fragments(request, settings):
    """The per-person page cache (core.fragments) and the account rows' cache
    (accounts.user_cache) are on where writes commit, as in
    production; off in the tests whose transaction is rolled back, where the bumps (run on
    commit) never run and every page would show what it showed first."""
    if not _commits(request):
        settings.PERSON_FRAGMENT_TIMEOUT = 0
        settings.SESSION_USER_CACHE_TIMEOUT = 0  # accounts.user_cache, for the same reason


@pytest.fixture(autouse=True)
def _closed_breakers():
    """Each test starts with Redis and the broker considered up (core.breaker state is
    per process and would carry one test's outage into the next)."""
    from notifications.services import BROKER_BREAKER

    BROKER_BREAKER.success()
    yield
    BROKER_BREAKER.success()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash passwords with MD5 in every test.

    Hashing with the production hasher costs a noticeable fraction of a second per call on
    the shared 2-core machine, and no test is about the hasher (Django's own).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded documents go to a throw-away private folder of each test (and worker)."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


# --- Races ---------------------------------------------------------------------------


@pytest.fixture
def race():
    """Run callables in threads released at the same moment; return their outcomes.

    `race(calls, errors=(DomainError,))` returns, in the order of `calls`, "ok" for each
    call that returned and the `.code` of each that raised one of `errors`; any other
    exception fails the test. Each thread has its own database connection, so the test
    needs `@pytest.mark.django_db(transaction=True)` and, for row locks,
    `@pytest.mark.postgres_only`.
    """
    from django.db import connections

    from core.errors import DomainError

    def run(calls, errors=(DomainError,)):
        barrier = threading.Barrier(len(calls))
        outcomes = [None] * len(calls)
        unexpected = []

        def attempt(index, call):
            try:
                barrier.wait(timeout=30)
                call()
                outcomes[index] = "ok"
            except errors as exc:
                outcomes[index] = exc.code
            except BaseException as exc:  # noqa: BLE001 - raised in the test below
                unexpected.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=attempt, args=(index, call)) for index, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a racing call hangs"
        if unexpected:
            raise unexpected[0]
        return outcomes

    return run


@pytest.fixture
def admin_action():
    """Run an admin action as the changelist's form sends it; follow the redirect back.

    `admin_action(client, changelist_url, "resend", rows)` -> the changelist's response.
    """
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    def run(client, url, action, rows, **extra):
        data = {"action": action, ACTION_CHECKBOX_NAME: [row.pk for row in rows], **extra}
        return client.post(url, data, follow=True)

    return run


# --- Staff, as the real groups of core/roles.py ------------------------------------------


@pytest.fixture
def staff_member(db):
    """Make a staff account in one of the real groups: `staff_member(TRAINING_STAFF)`.

    Not a superuser: what the account may do is what its group grants (core/roles.py),
    plus the `permissions` given to it alone ("app_label.codename").
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    user_model = get_user_model()
    made = []

    def make(role, email=None, permissions=(), **fields):
        email = email or f"staf{len(made) + 1}@example.com"
        fields = {"full_name": "Staf STC", **fields}
        user = user_model.objects.create_user(
            email, None, role=user_model.Role.STAFF, is_staff=True, **fields
        )
        user.groups.add(Group.objects.get(name=role))
        for permission in permissions:
            app_label, codename = permission.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        made.append(user)
        return user_model.objects.get(pk=user.pk)  # fresh permission cache

    return make


@pytest.fixture
def staff_client_for(staff_member):
    """A test client of its own, logged in as a new member of a staff group.

    `staff_client_for(TRAINING_STAFF)`, `staff_client_for(PLACEMENT_OFFICER,
    permissions=["welfare.view_payee"])`; separate from the `client` fixture, so that a
    test can act as a job seeker and as staff side by side.
    """
    from django.test import Client

    def log_in(role, permissions=()):
        client = Client()
        client.force_login(staff_member(role, permissions=permissions))
        return client

    return log_in


@pytest.fixture
def training_staff_client(staff_client_for):
    from core.roles import TRAINING_STAFF

    return staff_client_for(TRAINING_STAFF)


@pytest.fixture
def placement_officer_client(staff_client_for):
    from core.roles import PLACEMENT_OFFICER

    return staff_client_for(PLACEMENT_OFFICER)


@pytest.fixture
def administrator_client(staff_client_for):
    from core.roles import ADMINISTRATOR

    return staff_client_for(ADMINISTRATOR)
