"""Production configuration: start-up errors and `check --deploy`, in fresh processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-test-9f8e7d6c",
    "DJANGO_ALLOWED_HOSTS": "stc-batang.example.id",
    "SITE_URL": "https://stc-batang.example.id",
}


def manage(*args, extra_env=None, drop=()):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in drop}
    env.update(extra_env or {})
    env["DJANGO_SETTINGS_MODULE"] = "batang_portal.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_the_documented_production_env():
    result = manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_stops_start_up_with_a_clear_error():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_missing_allowed_hosts_in_production_stops_start_up():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_debug_is_off_unless_the_environment_turns_it_on():
    # A deployment that forgets DJANGO_DEBUG must not run with the development secrets.
    result = manage("check", drop=("DATABASE_URL", "REDIS_URL", "EMAIL_URL"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_embedded_defaults_need_nothing_but_debug(settings):
    # With only DJANGO_DEBUG on (what `make run` sets) the dev defaults hold (the test run
    # itself proves the database choice; here the shape of the defaults).
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.DATABASES['default']['ENGINE'],"
        " s.CACHES['default']['BACKEND'], s.TIME_ZONE, s.LANGUAGE_CODE)",
        extra_env={"DJANGO_DEBUG": "1"},
        drop=("DATABASE_URL", "REDIS_URL", "EMAIL_URL"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "Asia/Jakarta",
        "id",
    ]


def test_collectstatic_works_with_production_storage(tmp_path):
    # WhiteNoise's manifest storage follows every url()/sourceMappingURL in vendored
    # files: a missing referenced file would break the deployment's collectstatic.
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}
    result = manage("collectstatic", "--noinput", "-v", "0", extra_env=env)
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert list(tmp_path.glob("vendor/bootstrap/bootstrap.min.*.css.gz"))


# --- Redis memory limit (core.checks) ------------------------------------------------


def test_redis_without_a_memory_limit_or_with_a_policy_that_evicts_queues_is_reported():
    from core.checks import redis_memory_problems

    assert redis_memory_problems({"maxmemory": "0", "maxmemory-policy": "noeviction"}) == [
        "maxmemory is 0 (no limit): a flood of cached pages can fill the RAM",
        "maxmemory-policy is noeviction: use volatile-lru (evicts cache entries, which all "
        "expire, never the Celery queues, which do not)",
    ]
    assert (
        len(redis_memory_problems({"maxmemory": "268435456", "maxmemory-policy": "allkeys-lru"}))
        == 1
    )
    assert (
        redis_memory_problems({"maxmemory": "268435456", "maxmemory-policy": "volatile-lru"}) == []
    )


def test_the_deploy_check_reads_the_real_redis(settings):
    """The test Redis is configured like production (scripts/provision.sh): no problem."""
    import os

    from core.checks import redis_memory_check

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (CI sets it)")
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert redis_memory_check() == []


def test_an_unreachable_redis_is_a_warning_not_a_crash(settings):
    from core.checks import redis_memory_check

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert [w.id for w in redis_memory_check()] == ["core.W002"]


def test_each_parallel_test_worker_gets_its_own_redis_database():
    from django.core.exceptions import ImproperlyConfigured

    from batang_portal.settings import _redis_url_for_test_worker

    assert _redis_url_for_test_worker("redis://127.0.0.1:6379/8", "gw0") == (
        "redis://127.0.0.1:6379/8"
    )
    assert _redis_url_for_test_worker("redis://:pw@cache:6380/14", "gw1") == (
        "redis://:pw@cache:6380/15"
    )
    assert _redis_url_for_test_worker("redis://127.0.0.1:6379", "gw3") == (
        "redis://127.0.0.1:6379/3"
    )
    with pytest.raises(ImproperlyConfigured, match="Redis database 16"):
        _redis_url_for_test_worker("redis://127.0.0.1:6379/14", "gw2")
