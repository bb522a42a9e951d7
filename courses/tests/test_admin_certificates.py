"""Certificates in the admin: the list, the change page and the revoke action."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from courses.models import ApplicationStatus
from courses.training.services.certificates import certificate_issue_missing
from trainees.tests.factories import StaffFactory

from .factories import application_in, cohort_running
from .test_admin_selection import action

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_certificate_admin_and_revoke_with_a_public_reason(client, staff):
    cohort, _units, _days = cohort_running(units=0)
    application_in(cohort, S.PASSED)
    (certificate,) = certificate_issue_missing(cohort=cohort, actor=None)
    url = reverse("admin:courses_certificate_changelist")
    assert client.get(url).status_code == 200
    change = client.get(reverse("admin:courses_certificate_change", args=[certificate.pk]))
    assert certificate.get_absolute_url() in change.content.decode()
    response = action(client, url, "revoke", [certificate])
    assert 'name="reason"' in response.content.decode()
    action(client, url, "revoke", [certificate], apply="1", reason="Data peserta keliru.")
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Data peserta keliru." and not certificate.is_valid


@pytest.mark.parametrize(
    ("group", "may_revoke"), [(TRAINING_STAFF, True), (PLACEMENT_OFFICER, False)]
)
def test_only_staff_who_may_change_certificates_revoke_them(client, group, may_revoke):
    user = StaffFactory(is_superuser=False)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    cohort, _units, _days = cohort_running(units=0)
    application_in(cohort, S.PASSED)
    (certificate,) = certificate_issue_missing(cohort=cohort, actor=None)
    url = reverse("admin:courses_certificate_changelist")
    page = client.get(url)
    assert page.status_code == 200
    assert ('value="revoke"' in page.content.decode()) is may_revoke
    action(client, url, "revoke", [certificate], apply="1", reason="Data peserta keliru.")
    certificate.refresh_from_db()
    assert certificate.is_valid is not may_revoke
