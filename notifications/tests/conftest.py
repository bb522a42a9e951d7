import pytest

from .backends import ScriptedBackend


@pytest.fixture
def scripted_backend(settings):
    """Send through ScriptedBackend; `scripted_backend.failures` lists errors to raise."""
    settings.EMAIL_BACKEND = "notifications.tests.backends.ScriptedBackend"
    ScriptedBackend.reset()
    yield ScriptedBackend
    ScriptedBackend.reset()


@pytest.fixture
def user(db):
    from .factories import UserFactory

    return UserFactory(full_name="Dewi Lestari", email="dewi@example.com")
