from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_user_stores_the_whole_email_in_lower_case_and_defaults_to_job_seeker():
    user = User.objects.create_user("Siti.Aminah@Example.COM", "rahasia-panjang-1")
    assert user.email == "siti.aminah@example.com"
    assert user.role == User.Role.JOB_SEEKER
    assert user.is_job_seeker and not user.is_staff
    assert user.language == "id"


def test_one_account_per_mailbox_whatever_the_case():
    User.objects.create_user("budi@example.com", "rahasia-panjang-1")
    with pytest.raises(IntegrityError):
        User.objects.create_user("BUDI@example.com", "rahasia-panjang-2")


def test_superuser_is_staff_with_staff_role():
    admin = User.objects.create_superuser("admin@example.com", "rahasia-panjang-1")
    assert admin.is_staff and admin.is_superuser
    assert admin.role == User.Role.STAFF
    assert admin.is_training_staff


def test_login_with_email_in_any_case(client):
    User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    response = client.post(
        reverse("login"), {"username": "DEWI@example.com", "password": "rahasia-panjang-1"}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_wrong_password_shows_a_translated_error_and_keeps_the_email(client):
    User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    response = client.post(reverse("login"), {"username": "dewi@example.com", "password": "salah"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Masukkan alamat email dan kata sandi yang benar" in content or "benar" in content
    assert 'value="dewi@example.com"' in content


def test_logout_is_a_post_and_ends_the_session(client):
    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_requires_login_then_works(client):
    url = reverse("password_change")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))

    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client.force_login(user)
    response = client.post(
        url,
        {
            "old_password": "rahasia-panjang-1",
            "new_password1": "kata-sandi-baru-99",
            "new_password2": "kata-sandi-baru-99",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("kata-sandi-baru-99")


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"login": "Dewi@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dewi@example.com"]
    assert "Atur ulang kata sandi" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = urlsplit(link.strip()).path
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "kata-sandi-baru-99", "new_password2": "kata-sandi-baru-99"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="dewi@example.com").check_password("kata-sandi-baru-99")


def test_password_reset_for_unknown_address_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"login": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_admin_user_changelist_works_for_staff(administrator_client):
    User.objects.create_user("dewi@example.com", "rahasia-panjang-1", full_name="Dewi")
    response = administrator_client.get(reverse("admin:accounts_user_changelist"), {"q": "dewi"})
    assert response.status_code == 200
    assert "dewi@example.com" in response.content.decode()
