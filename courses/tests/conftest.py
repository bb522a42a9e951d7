import pytest

from courses.services import CATALOGUE_CACHE


@pytest.fixture(autouse=True)
def _fresh_catalogue_pages():
    """Pages cached by an earlier test (or run, with Redis) must not answer this one."""
    from core.cache import public_cache_bump

    public_cache_bump(CATALOGUE_CACHE)


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser("staf@example.com", "rahasia-panjang-1")
    client.force_login(staff)
    return client
