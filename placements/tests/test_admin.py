import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core.roles import PLACEMENT_OFFICER
from placements import services
from placements.models import (
    Employer,
    JobApplication,
    Placement,
    PlacementPolicy,
    Vacancy,
    placement_policy,
)

from .factories import (
    EmployerFactory,
    JobApplicationFactory,
    StaffFactory,
    UserFactory,
    VacancyFactory,
    employer_account,
)

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    "model",
    [
        "employer",
        "vacancy",
        "jobapplication",
        "placement",
        "jobseekerpreference",
        "employerlicence",
    ],
)
def test_every_changelist_opens(placement_officer_client, model):
    JobApplicationFactory()
    assert (
        placement_officer_client.get(reverse(f"admin:placements_{model}_changelist")).status_code
        == 200
    )


def test_change_pages_open(placement_officer_client):
    application = JobApplicationFactory()
    for name, pk in [
        ("employer", application.vacancy.employer_id),
        ("vacancy", application.vacancy_id),
        ("jobapplication", application.pk),
    ]:
        response = placement_officer_client.get(
            reverse(f"admin:placements_{name}_change", args=[pk])
        )
        assert response.status_code == 200, name


def test_employer_list_shows_response_time_in_constant_queries(
    placement_officer_client, django_assert_max_num_queries
):
    url = reverse("admin:placements_employer_changelist")
    JobApplicationFactory()
    with django_assert_max_num_queries(12):
        assert placement_officer_client.get(url).status_code == 200
    for _ in range(20):
        JobApplicationFactory(
            status="shortlisted",
            created_at=timezone.now() - datetime.timedelta(days=3),
            first_response_at=timezone.now() - datetime.timedelta(days=1),
        )
    with django_assert_max_num_queries(12):
        response = placement_officer_client.get(url)
    assert "2.0" in response.content.decode()


def test_verify_action_reports_each_row(placement_officer_client):
    new = EmployerFactory(verified_at=None, name="PT Baru")
    old = EmployerFactory(name="PT Lama")
    response = placement_officer_client.post(
        reverse("admin:placements_employer_changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [new.pk, old.pk]},
        follow=True,
    )
    new.refresh_from_db()
    assert new.is_verified
    texts = messages_of(response)
    assert any("PT Baru" in t and "Terverifikasi" in t for t in texts)
    assert any("PT Lama" in t and "sudah terverifikasi" in t for t in texts)


def test_publish_action_refuses_unverified_employers_per_row(placement_officer_client):
    ok = VacancyFactory(status="submitted", published_at=None, title="Operator A")
    blocked = VacancyFactory(
        status="submitted",
        published_at=None,
        title="Operator B",
        employer=EmployerFactory(verified_at=None),
    )
    response = placement_officer_client.post(
        reverse("admin:placements_vacancy_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [ok.pk, blocked.pk]},
        follow=True,
    )
    ok.refresh_from_db()
    blocked.refresh_from_db()
    assert (ok.status, blocked.status) == ("published", "submitted")
    texts = messages_of(response)
    assert any("Operator B" in t and "belum terverifikasi" in t for t in texts)


def test_reject_action_asks_for_a_reason_then_rejects(placement_officer_client):
    vacancy = VacancyFactory(status="submitted", published_at=None)
    url = reverse("admin:placements_vacancy_changelist")
    page = placement_officer_client.post(
        url, {"action": "reject", ACTION_CHECKBOX_NAME: [vacancy.pk]}
    )
    assert page.status_code == 200
    assert "Alasan untuk perusahaan" in page.content.decode()
    empty = placement_officer_client.post(
        url, {"action": "reject", "apply": "1", "reason": "", ACTION_CHECKBOX_NAME: [vacancy.pk]}
    )
    assert empty.status_code == 200
    vacancy.refresh_from_db()
    assert vacancy.status == "submitted"
    placement_officer_client.post(
        url,
        {
            "action": "reject",
            "apply": "1",
            "reason": "NIB tidak cocok dengan nama perusahaan.",
            ACTION_CHECKBOX_NAME: [vacancy.pk],
        },
    )
    vacancy.refresh_from_db()
    assert vacancy.status == "rejected"
    assert vacancy.rejection_reason == "NIB tidak cocok dengan nama perusahaan."


def test_umk_filter_and_flag(placement_officer_client):
    VacancyFactory(title="Gaji Rendah", salary_min=2_000_000, salary_max=None)
    VacancyFactory(title="Gaji Layak", salary_min=3_000_000, salary_max=None)
    response = placement_officer_client.get(
        reverse("admin:placements_vacancy_changelist"), {"umk": "below"}
    )
    assert [v.title for v in response.context["cl"].result_list] == ["Gaji Rendah"]
    assert "di bawah UMK" in response.content.decode()


def test_status_is_read_only_and_vacancies_are_not_added_in_the_admin(placement_officer_client):
    vacancy = VacancyFactory(status="submitted", published_at=None)
    assert placement_officer_client.get(reverse("admin:placements_vacancy_add")).status_code == 403
    response = placement_officer_client.get(
        reverse("admin:placements_vacancy_change", args=[vacancy.pk])
    )
    assert 'name="status"' not in response.content.decode()


def test_staff_record_a_placement_made_outside_the_portal(placement_officer_client):
    employer = EmployerFactory()
    response = placement_officer_client.post(
        reverse("admin:placements_placement_add"),
        {
            "employer": employer.pk,
            "person": "",
            "person_name": "Rina Marlina",
            "vacancy": "",
            "start_date": "2026-12-01",
            "salary": "2800000",
            "note": "Job fair KITB",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    placement = Placement.objects.get()
    assert placement.source == Placement.Source.OUTSIDE
    assert placement.person_name == "Rina Marlina"


def test_outside_placement_needs_a_person_and_a_vacancy_of_the_same_employer(
    placement_officer_client,
):
    employer = EmployerFactory()
    foreign = VacancyFactory()
    response = placement_officer_client.post(
        reverse("admin:placements_placement_add"),
        {
            "employer": employer.pk,
            "person": UserFactory().pk,
            "vacancy": foreign.pk,
            "start_date": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert not Placement.objects.exists()
    response = placement_officer_client.post(
        reverse("admin:placements_placement_add"),
        {"employer": employer.pk, "start_date": "2026-12-01"},
    )
    assert response.status_code == 200
    assert not Placement.objects.exists()


def test_job_applications_are_read_only_for_staff(placement_officer_client):
    application = JobApplicationFactory()
    assert (
        placement_officer_client.get(reverse("admin:placements_jobapplication_add")).status_code
        == 403
    )
    assert JobApplication.objects.count() == 1
    assert Employer.objects.count() == 1
    assert Vacancy.objects.count() == 1
    assert employer_account(application.vacancy.employer)


def _placement_officer():
    user = UserFactory(role="staff", is_staff=True, is_superuser=False)
    user.groups.add(Group.objects.get(name=PLACEMENT_OFFICER))
    return user


def test_placement_officer_changes_the_policy_and_it_applies_at_once(client):
    officer = _placement_officer()
    client.force_login(officer)
    url = reverse("admin:placements_placementpolicy_change", args=[1])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"umk": "2900000", "umk_year": "2027", "weekly_cap": "5", "no_response_days": "10"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = placement_policy()
    assert (policy.umk, policy.umk_year, policy.weekly_cap, policy.no_response_days) == (
        2_900_000,
        2027,
        5,
        10,
    )
    assert PlacementPolicy.objects.get().updated_by == officer
    # The UMK flag follows the new value.
    assert VacancyFactory.build(salary_min=2_800_000, salary_max=None).below_umk is True


def test_the_policy_cannot_be_added_or_deleted_and_opens_even_when_missing(admin_client):
    # Not even by a superuser: there is one policy row.
    PlacementPolicy.objects.all().delete()
    change = reverse("admin:placements_placementpolicy_change", args=[1])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse("admin:placements_placementpolicy_add")).status_code == 403
    delete = reverse("admin:placements_placementpolicy_delete", args=[1])
    assert admin_client.get(delete).status_code == 403


def test_employer_page_shows_its_verification_history(placement_officer_client):
    employer = EmployerFactory(verified_at=None)
    services.employer_verify(employer=employer, actor=StaffFactory(full_name="Sri Staf"))
    url = reverse("admin:placements_employer_change", args=[employer.pk])
    response = placement_officer_client.get(url)
    assert response.status_code == 200
    assert "Sri Staf" in response.content.decode()


def test_moderation_queue_costs_the_same_with_more_vacancies_and_counts_once(
    placement_officer_client, django_assert_max_num_queries
):
    url = reverse("admin:placements_vacancy_changelist") + "?status__exact=submitted"
    VacancyFactory(status=Vacancy.Status.SUBMITTED, submitted_at=timezone.now())
    with django_assert_max_num_queries(12) as small:
        assert placement_officer_client.get(url).status_code == 200
    for _ in range(25):
        VacancyFactory(status=Vacancy.Status.SUBMITTED, submitted_at=timezone.now())
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = placement_officer_client.get(url)
    counts = [q["sql"] for q in large.captured_queries if "COUNT(*)" in q["sql"]]
    # One count of the filtered rows for the paginator; never one of every vacancy.
    assert len(counts) == 1 and "WHERE" in counts[0]
    assert response.content.decode().count('class="action-select"') == 26
