"""Fixtures of the cross-app tests: the world of tests/world.py, built once per module."""

from __future__ import annotations

import copy

import pytest
from django.db import transaction
from django.test.utils import override_settings

from tests.world import build_world


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """`build_world()` once per test module, in a transaction rolled back after it.

    Building the world is about a quarter of a second; the permission matrix and the form
    fuzzer ask for it in more than 250 tests. Each test's own transaction (pytest-django's
    `db`) is a savepoint inside this one, so whatever a test writes is undone before the
    next, as for any database test. The settings the function-scoped autouse fixtures give
    a test (fast hashing, a private media folder, no per-person cache, tasks in-process)
    are given here too, since this runs before them.
    """
    from batang_portal.celery import app

    media = tmp_path_factory.mktemp("world-media")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=media,
            PERSON_FRAGMENT_TIMEOUT=0,
            SESSION_USER_CACHE_TIMEOUT=0,
        ),
    ):
        outer = transaction.atomic()
        # As Django's TestCase marks its own blocks: a durable block inside (the welfare
        # services') is then the first real transaction, as it is in production.
        outer._from_testcase = True
        outer.__enter__()
        try:
            yield build_world(), media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            app.conf.task_always_eager = eager


@pytest.fixture
def world(_module_world, db, settings):
    """The module's world for one test: its rows as built (the test's writes are rolled
    back) and its own copy of the Python objects, so a test that changes one in memory
    does not hand the change to the next."""
    built, media = _module_world
    settings.MEDIA_ROOT = media  # the world's documents are in the module's media folder
    return copy.deepcopy(built)
