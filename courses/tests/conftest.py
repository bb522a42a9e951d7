import pytest

from core.roles import TRAINING_STAFF
from courses.admissions import transitions
from courses.admissions.services import applications
from courses.catalogue.services import CATALOGUE_CACHE


@pytest.fixture(autouse=True)
def _fresh_catalogue_pages():
    """Pages cached by an earlier test (or run, with Redis) must not answer this one."""
    from core.cache import public_cache_bump

    public_cache_bump(CATALOGUE_CACHE)


@pytest.fixture
def staff(client, staff_member):
    user = staff_member(TRAINING_STAFF)
    client.force_login(user)
    return user


@pytest.fixture
def staff_client(training_staff_client):
    """The admin as the training staff use it: a member of that group, not a superuser."""
    return training_staff_client


@pytest.fixture
def eligible_trainee(db):
    """A job seeker who meets every rule of a default cohort: complete profile, KTP, ijazah."""
    from .factories import eligible_trainee_create

    return eligible_trainee_create()


@pytest.fixture
def sent(monkeypatch):
    """Notifications queued by the courses services, as (kind, kwargs)."""

    calls = []
    for module in (transitions, applications):
        monkeypatch.setattr(
            module, "notification_queue", lambda **kwargs: calls.append((kwargs["kind"], kwargs))
        )
    return calls
