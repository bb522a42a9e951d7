"""account_create: the one way a sign-up makes an account."""

import pytest

from accounts.errors import AccountError
from accounts.models import User
from accounts.services import account_create

pytestmark = pytest.mark.django_db


def test_creates_the_account_with_a_normalised_login_and_the_default_language(settings):
    user = account_create(
        email="  Sari@Example.COM ",
        password="kata-sandi-panjang",
        full_name="  Sari Dewi ",
        role=User.Role.EMPLOYER,
    )
    user.refresh_from_db()
    assert (user.email, user.full_name, user.role) == ("sari@example.com", "Sari Dewi", "employer")
    assert user.language == settings.LANGUAGE_CODE
    assert user.check_password("kata-sandi-panjang") and not user.is_staff


def test_no_password_gives_an_unusable_one():
    user = account_create(
        email="walkin@example.com", password=None, full_name="Budi", role=User.Role.JOB_SEEKER
    )
    assert not user.has_usable_password()


def test_an_address_with_an_account_is_refused_whatever_its_case():
    account_create(email="budi@example.com", password=None, full_name="Budi", role="job_seeker")
    with pytest.raises(AccountError) as exc:
        account_create(email="BUDI@example.com", password=None, full_name="B", role="employer")
    assert exc.value.code == AccountError.EMAIL_TAKEN
    assert User.objects.count() == 1
