"""Project-wide pytest setup.

CI sets PORTAL_FAIL_ON_SKIP=1: a test that skips (say, because a service is missing)
is then reported as a failure, so a green CI run means every test really ran.
"""

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("PORTAL_FAIL_ON_SKIP") == "1" and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped tests fail in CI (PORTAL_FAIL_ON_SKIP=1): {reason}"


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
def _fresh_rate_limits(settings):
    """Each test counts its own rate limits (core.ratelimit), as if the cache were new.

    A unique key prefix instead of clearing the cache: in CI the cache is Redis, shared
    with the Celery broker, and must not be flushed.
    """
    import uuid

    settings.RATELIMIT_KEY_PREFIX = f"rl-test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _closed_breakers():
    """Each test starts with Redis and the broker considered up (core.breaker state is
    per process and would carry one test's outage into the next)."""
    from notifications.services import BROKER_BREAKER

    BROKER_BREAKER.success()
    yield
    BROKER_BREAKER.success()


@pytest.fixture
def fast_passwords(settings):
    """Hash passwords with MD5 in tests that create many accounts or log in many times.

    Hashing with the production hasher costs a noticeable fraction of a second per call on
    the shared 2-core machine; these tests are about something else.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
