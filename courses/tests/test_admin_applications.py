import pytest
from django.urls import reverse

from courses.models import ApplicationStatus
from trainees.tests.factories import CompleteTraineeFactory

from .factories import ApplicationFactory, CohortFactory, cohort_dated

pytestmark = pytest.mark.django_db


def test_changelist_masks_nik_and_stays_at_constant_queries(
    staff_client, django_assert_max_num_queries
):
    url = reverse("admin:courses_application_changelist")
    ApplicationFactory(trainee=CompleteTraineeFactory(nik="3325131705020001"))
    with django_assert_max_num_queries(14) as small:
        response = staff_client.get(url)
    content = response.content.decode()
    assert "3325********0001" in content and "3325131705020001" not in content
    ApplicationFactory.create_batch(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "withdrawn"}, ["kendal"]),
        ({"domicile": "batang"}, ["batang"]),
        ({"domicile": "other"}, ["kendal"]),
        ({"trainee__education_level__exact": "sma"}, ["kendal"]),
        ({"nik_warning": "yes"}, ["kendal"]),
        ({"email_verified": "no"}, ["batang", "kendal"]),
    ],
)
def test_filters(staff_client, params, expected):
    cohort = CohortFactory()
    ApplicationFactory(cohort=cohort, trainee__user__full_name="batang")
    ApplicationFactory(
        cohort=cohort,
        status=ApplicationStatus.WITHDRAWN,
        trainee__user__full_name="kendal",
        trainee__regency="3324",
        trainee__kecamatan="",
        trainee__domicile_in_batang=False,
        trainee__education_level="sma",
        trainee__nik_warnings=["gender_mismatch"],
    )
    response = staff_client.get(reverse("admin:courses_application_changelist"), params)
    names = sorted(a.trainee.user.full_name for a in response.context["cl"].result_list)
    assert names == expected


def test_search_by_cohort_code_and_nik(staff_client):
    application = ApplicationFactory(trainee=CompleteTraineeFactory(nik="3325135705020002"))
    ApplicationFactory()
    url = reverse("admin:courses_application_changelist")
    for term in [application.cohort.code, "3325135705020002"]:
        response = staff_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [application]


def test_change_page_is_read_only_with_timeline(staff_client):
    application = ApplicationFactory()
    response = staff_client.get(reverse("admin:courses_application_change", args=[application.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="status"' not in content
    assert application.motivation in content


def test_intake_filter_lists_running_intakes_only_and_filters_by_any_intake(staff_client):
    running = CohortFactory()
    old = cohort_dated(
        started=400, ends=-360, registration=(460, 430), reregistration_deadline=None
    )
    ApplicationFactory(cohort=running, trainee__user__full_name="baru")
    ApplicationFactory(cohort=old, trainee__user__full_name="lama")
    url = reverse("admin:courses_application_changelist")

    content = staff_client.get(url).content.decode()
    assert f"cohort__id__exact={running.pk}" in content
    assert f"cohort__id__exact={old.pk}" not in content  # old intakes don't crowd the sidebar

    # ... but a link to an old intake's applications still works.
    response = staff_client.get(url, {"cohort__id__exact": old.pk})
    assert [a.trainee.user.full_name for a in response.context["cl"].result_list] == ["lama"]
