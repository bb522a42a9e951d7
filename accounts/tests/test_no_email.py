"""Job seeker accounts without an e-mail: NULL e-mail, the mobile number as the login."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.errors import AccountError
from accounts.models import User
from accounts.personal_data import erase, export
from accounts.services import account_create
from notifications.contacts import channel_address, channel_for
from notifications.models import Notification

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"


def test_a_job_seeker_account_with_a_number_only_stores_a_null_email():
    user = User.objects.create_user("", "rahasia-panjang-1", phone=PHONE)
    user.refresh_from_db()
    assert user.email is None
    assert user.login_identifier == PHONE
    assert str(user) == user.get_full_name() == "0812-3456-7890"
    assert user.get_short_name() == "0812-3456-7890"


def test_many_accounts_without_email_coexist_but_a_number_has_one_account():
    User.objects.create_user(None, "rahasia-panjang-1", phone=PHONE)
    User.objects.create_user(None, "rahasia-panjang-1", phone="+6281234567891")
    assert User.objects.filter(email__isnull=True).count() == 2
    with pytest.raises(IntegrityError):
        User.objects.create_user(None, "rahasia-panjang-1", phone=PHONE)


def test_an_empty_email_saved_directly_becomes_null():
    user = User.objects.create_user("a@example.com", "x", phone=PHONE)
    user.email = ""
    user.save()
    user.refresh_from_db()
    assert user.email is None


def test_neither_email_nor_number_is_refused():
    with pytest.raises(ValueError, match="required"):
        User.objects.create_user("", "rahasia-panjang-1")
    with pytest.raises(AccountError) as exc:
        account_create(
            email="", password="x", full_name="Siti", role=User.Role.JOB_SEEKER, phone=""
        )
    assert exc.value.code == AccountError.NO_LOGIN


def test_an_employer_needs_an_email_even_with_a_number():
    with pytest.raises(ValueError):
        User.objects.create_user("", "x", phone=PHONE, role=User.Role.EMPLOYER)
    with pytest.raises(AccountError) as exc:
        account_create(
            email=None, password="x", full_name="PT", role=User.Role.EMPLOYER, phone=PHONE
        )
    assert exc.value.code == AccountError.NO_LOGIN
    user = User(role=User.Role.EMPLOYER, phone=PHONE, email="")
    with pytest.raises(ValidationError) as err:
        user.full_clean(exclude=["password"])
    assert "email" in err.value.message_dict


def test_account_create_tells_a_taken_number_apart_from_a_taken_email():
    account_create(email=None, password="x", full_name="A", role=User.Role.JOB_SEEKER, phone=PHONE)
    with pytest.raises(AccountError) as exc:
        account_create(
            email="b@example.com",
            password="x",
            full_name="B",
            role=User.Role.JOB_SEEKER,
            phone=PHONE,
        )
    assert exc.value.code == AccountError.PHONE_TAKEN
    assert not User.objects.filter(email="b@example.com").exists()


def test_model_validation_reports_a_taken_number_as_a_field_error():
    User.objects.create_user(None, "x", phone=PHONE)
    other = User(phone=PHONE, email=None, role=User.Role.JOB_SEEKER)
    with pytest.raises(ValidationError) as err:
        other.full_clean(exclude=["password"])
    assert "Sudah ada akun dengan nomor HP ini." in str(err.value)


def test_the_outbox_has_no_email_address_for_such_an_account():
    user = User.objects.create_user(None, "x", phone=PHONE)
    assert channel_address(user, "email") == ""
    # An e-mail-only kind does not reach the person (and queues nothing).
    assert channel_for(user, "employer.applicants_digest") is None
    assert not Notification.objects.exists()


def test_personal_data_export_and_erase_of_an_account_without_email():
    user = User.objects.create_user(None, "x", phone=PHONE, full_name="Siti")
    data = export(user)
    assert data["email"] == "" and data["phone"] == PHONE
    erase(user)
    user.refresh_from_db()
    assert user.phone == "" and not user.is_active
