"""`make run`'s demo staff logins: the real Training staff group plus a demo administrator."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.ensure_demo_staff import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    DEMO_EMAIL,
    DEMO_PASSWORD,
)
from accounts.models import User
from core.roles import ADMINISTRATOR, TRAINING_STAFF

pytestmark = pytest.mark.django_db


def run(settings, site_url="http://192.168.1.20:8123"):
    settings.DEBUG = True
    settings.SITE_URL = site_url
    out = io.StringIO()
    call_command("ensure_demo_staff", stdout=out)
    return out.getvalue()


def test_demo_staff_is_training_staff_and_the_administrator_separate(settings):
    output = run(settings)
    staff = User.objects.get(email=DEMO_EMAIL)
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    assert staff.is_staff and not staff.is_superuser
    assert [g.name for g in staff.groups.all()] == [TRAINING_STAFF]
    assert admin.is_staff and not admin.is_superuser
    assert [g.name for g in admin.groups.all()] == [ADMINISTRATOR]
    assert staff.check_password(DEMO_PASSWORD) and admin.check_password(DEMO_ADMIN_PASSWORD)
    assert DEMO_EMAIL in output and DEMO_ADMIN_EMAIL in output


def test_printed_urls_follow_the_site_url(settings):
    output = run(settings, site_url="http://10.0.0.5:9000")
    assert "http://10.0.0.5:9000/admin/today/" in output
    assert "127.0.0.1:8000" not in output


def test_an_old_superuser_demo_login_is_reset_to_the_real_role(settings):
    User.objects.create_superuser(DEMO_EMAIL, "old", full_name="Staf Demo STC")
    run(settings)
    staff = User.objects.get(email=DEMO_EMAIL)
    assert not staff.is_superuser
    assert staff.check_password(DEMO_PASSWORD)
    assert [g.name for g in staff.groups.all()] == [TRAINING_STAFF]


def test_the_demo_training_staff_meets_the_real_limits(settings, client):
    run(settings)
    client.force_login(User.objects.get(email=DEMO_EMAIL))
    assert client.get("/admin/today/").status_code == 200
    assert client.get("/admin/courses/application/").status_code == 200
    # Training staff do not manage employers or groups: the real role's limits.
    assert client.get("/admin/placements/employer/add/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_demo_staff", stdout=io.StringIO())
