"""core.beat: a periodic job due while the broker is down runs when it returns."""

import datetime
from unittest import mock

import kombu.exceptions
import pytest
from celery.schedules import crontab

from batang_portal.celery import app
from core import beat

CLOCK = [datetime.datetime(2026, 12, 2, 7, 0, 30, tzinfo=datetime.UTC)]


@pytest.fixture(autouse=True)
def _own_schedule():
    """The tests set their own schedule on the app; give the real one back afterwards."""
    saved = dict(app.conf.beat_schedule)
    yield
    app.conf.beat_schedule = saved


@pytest.fixture
def scheduler(tmp_path, monkeypatch):
    CLOCK[0] = now = datetime.datetime(2026, 12, 2, 7, 0, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(app, "now", lambda: CLOCK[0])
    app.conf.beat_schedule = {
        "daily": {"task": "core.tests.daily", "schedule": crontab(hour=7, minute=0)},
    }
    instance = beat.CatchUpScheduler(app=app, schedule_filename=str(tmp_path / "beat"), lazy=False)
    # The job last ran yesterday at 07:00: it is due now.
    entry = instance.schedule["daily"]
    entry.last_run_at = now - datetime.timedelta(days=1)
    yield instance
    instance.close()


def _tick_until_idle(scheduler, ticks=5):
    for _ in range(ticks):
        scheduler.tick()


def test_a_job_due_during_a_broker_outage_is_sent_when_the_broker_returns(scheduler, monkeypatch):
    outage = kombu.exceptions.OperationalError("Error 111 connecting to redis")
    with mock.patch.object(scheduler, "apply_async", side_effect=outage) as publish:
        _tick_until_idle(scheduler)
    assert publish.call_count == 1  # tried once, then waits RETRY_SECONDS
    assert scheduler.is_due(scheduler.schedule["daily"]).is_due is False

    CLOCK[0] += datetime.timedelta(seconds=beat.RETRY_SECONDS + 1)  # the broker is back
    with mock.patch.object(scheduler, "apply_async") as publish:
        _tick_until_idle(scheduler)
    assert publish.call_count == 1  # the missed run went out, once
    # ...and the job waits for tomorrow again.
    assert scheduler.is_due(scheduler.schedule["daily"]).is_due is False
    with mock.patch.object(scheduler, "apply_async") as publish:
        _tick_until_idle(scheduler)
    assert publish.call_count == 0


def test_celerys_own_scheduler_would_have_lost_the_run(tmp_path, monkeypatch):
    """What the fix is for: the stock scheduler advances the job although nothing went out."""
    from celery.beat import PersistentScheduler

    now = datetime.datetime(2026, 12, 2, 7, 0, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(app, "now", lambda: now)
    app.conf.beat_schedule = {
        "daily": {"task": "core.tests.daily", "schedule": crontab(hour=7, minute=0)},
    }
    stock = PersistentScheduler(app=app, schedule_filename=str(tmp_path / "stock"), lazy=False)
    stock.schedule["daily"].last_run_at = now - datetime.timedelta(days=1)
    outage = kombu.exceptions.OperationalError("down")
    with mock.patch.object(stock, "apply_async", side_effect=outage):
        stock.tick()
    assert stock.is_due(stock.schedule["daily"]).is_due is False
    stock.close()


def test_settings_use_the_catch_up_scheduler(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "core.beat:CatchUpScheduler"
