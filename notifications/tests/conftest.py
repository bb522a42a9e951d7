import os

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


@pytest.fixture(autouse=True)
def fake_secret_links(monkeypatch):
    """Secret links made by fixed fake makers (the real ones are tested in their apps)."""
    from notifications import links

    from .factories import FAKE_SECRET_LINKS

    makers = dict(links._MAKERS)
    for kind, values in FAKE_SECRET_LINKS.items():
        makers[kind] = lambda notification, values=values: dict(values)
    monkeypatch.setattr(links, "_MAKERS", makers)
    return FAKE_SECRET_LINKS


@pytest.fixture(scope="module")
def fake_server():
    """The fake WhatsApp Cloud API and SMS gateway on loopback (fake_provider.py)."""
    from .fake_provider import FakeProvider

    # FAKE_PROVIDER_PORT pins the port (a machine shared by several test runs); 0: any free.
    port = int(os.environ.get("FAKE_PROVIDER_PORT", "0"))
    server = FakeProvider(stall_seconds=1.5, port=port).start()
    yield server
    server.stop()


@pytest.fixture
def provider(fake_server, settings):
    """The portal's WhatsApp and SMS backends pointed at the fake provider."""
    for name, value in fake_server.settings().items():
        setattr(settings, name, value)
    settings.WHATSAPP_TIMEOUT = 0.5
    settings.SMS_TIMEOUT = 0.5
    settings.SITE_URL = "https://stc.example.id"
    fake_server.reset()
    fake_server.webhook_url = ""
    yield fake_server
    fake_server.reset()
