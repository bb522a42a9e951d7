import pytest
from django.urls import reverse

from trainees import services

from .factories import CompleteTraineeFactory, TraineeFactory, pdf_upload

pytestmark = pytest.mark.django_db


def test_list_masks_the_nik_and_does_not_grow_in_queries(
    training_staff_client, django_assert_max_num_queries
):
    CompleteTraineeFactory(nik="3325131705020001")
    url = reverse("admin:trainees_trainee_changelist")
    with django_assert_max_num_queries(12):
        response = training_staff_client.get(url)
    content = response.content.decode()
    assert "3325********0001" in content
    assert "3325131705020001" not in content
    CompleteTraineeFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        assert training_staff_client.get(url).status_code == 200


def test_search_costs_the_same_with_more_job_seekers_and_searches_the_text_once(
    training_staff_client, django_assert_max_num_queries
):
    url = reverse("admin:trainees_trainee_changelist") + "?q=Aminah"
    CompleteTraineeFactory(user__full_name="Siti Aminah")
    with django_assert_max_num_queries(12) as small:
        assert "Siti Aminah" in training_staff_client.get(url).content.decode()
    for i in range(30):
        CompleteTraineeFactory(user__full_name=f"Aminah {i}")
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert training_staff_client.get(url).status_code == 200
    searched = [q["sql"] for q in large.captured_queries if "LIKE" in q["sql"].upper()]
    # The accounts found once (trainee_search), then the paginator's count and the page by
    # their ids: no whole-table count, no date hierarchy scans.
    assert len(searched) == 1
    assert not any(
        "COUNT(*)" in q["sql"] and "WHERE" not in q["sql"] for q in large.captured_queries
    )


def test_search_by_full_nik_name_and_email(training_staff_client):
    siti = CompleteTraineeFactory(nik="3325135705020002", user__full_name="Siti Aminah")
    CompleteTraineeFactory(user__full_name="Budi")
    url = reverse("admin:trainees_trainee_changelist")
    for term in ["3325135705020002", "Aminah", siti.user.email]:
        response = training_staff_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [siti]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"domicile_in_batang__exact": "1"}, ["batang"]),
        ({"domicile_in_batang__exact": "0"}, ["kendal"]),
        ({"education_level__exact": "sma"}, ["kendal"]),
        ({"email_verified": "yes"}, ["batang"]),
        ({"email_verified": "no"}, ["kendal"]),
        ({"nik_warning": "any"}, ["kendal"]),
        ({"nik_warning": "gender_mismatch"}, ["kendal"]),
        ({"nik_warning": "none"}, ["batang"]),
    ],
)
def test_filters(training_staff_client, params, expected):
    batang = CompleteTraineeFactory(user__full_name="batang")
    services.email_mark_verified(user=batang.user, actor=batang.user)
    CompleteTraineeFactory(
        user__full_name="kendal",
        regency="3324",
        kecamatan="",
        domicile_in_batang=False,
        education_level="sma",
        nik_warnings=["gender_mismatch"],
    )
    response = training_staff_client.get(reverse("admin:trainees_trainee_changelist"), params)
    assert [t.user.full_name for t in response.context["cl"].result_list] == expected


def test_change_page_is_read_only_with_document_links(training_staff_client):
    trainee = CompleteTraineeFactory()
    document = services.document_upload(
        trainee=trainee, kind="ktp", uploaded=pdf_upload(), actor=trainee.user
    )
    response = training_staff_client.get(
        reverse("admin:trainees_trainee_change", args=[trainee.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("trainees:document-download", args=[document.pk]) in content
    assert 'name="nik"' not in content  # read-only
    assert trainee.nik in content  # staff see the full NIK on the detail page


def test_mark_email_verified_action(training_staff_client):
    trainees = TraineeFactory.create_batch(2)
    response = training_staff_client.post(
        reverse("admin:trainees_trainee_changelist"),
        {"action": "mark_email_verified", "_selected_action": [t.pk for t in trainees]},
        follow=True,
    )
    assert response.status_code == 200
    for trainee in trainees:
        trainee.user.refresh_from_db()
        assert trainee.user.email_verified_at is not None


def test_changelist_links_to_walk_in_registration(training_staff_client):
    content = training_staff_client.get(
        reverse("admin:trainees_trainee_changelist")
    ).content.decode()
    assert reverse("trainees:walk-in-register") in content


def test_staff_send_a_walk_in_a_first_login_code_but_never_see_it(training_staff_client):
    from accounts.codes import code_value
    from accounts.models import OneTimeCode

    walk_in, has_password = TraineeFactory.create_batch(2)
    walk_in.user.set_unusable_password()  # registered at the desk
    walk_in.user.save()
    response = training_staff_client.post(
        reverse("admin:trainees_trainee_changelist"),
        {
            "action": "send_first_login_code",
            "_selected_action": [walk_in.pk, has_password.pk],
        },
        follow=True,
    )
    content = response.content.decode()
    assert response.status_code == 200
    code = OneTimeCode.objects.get()
    assert (code.user, code.purpose) == (walk_in.user, OneTimeCode.Purpose.FIRST_LOGIN)
    assert code_value(code.secret) not in content
    assert "sudah punya kata sandi" in content  # the other one is refused, with the reason
