"""The trainer: intakes assigned to them, today's roster tapped present or absent."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.errors import TrainingError
from courses.models import ApplicationStatus, Attendance
from courses.training.selectors.attendance import cohort_attendance_grid
from courses.training.selectors.trainers import cohort_list_for_trainer, trainer_session
from courses.training.services.attendance import attendance_mark
from trainees.tests.factories import StaffFactory, TrainerFactory

from .factories import TrainingDayFactory, application_in, attendance_tap, cohort_dated

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def cohort_with_session(trainer=None, trainees=2):
    """A cohort in training with a day held yesterday and a session today."""
    today = timezone.localdate()
    cohort = cohort_dated(started=1, ends=30)
    yesterday = TrainingDayFactory(cohort=cohort, date=today - datetime.timedelta(days=1))
    session = TrainingDayFactory(cohort=cohort, date=today, topic="K3 dasar")
    TrainingDayFactory(cohort=cohort, date=today + datetime.timedelta(days=1))
    apps = [application_in(cohort, S.IN_TRAINING) for _ in range(trainees)]
    if trainer is not None:
        cohort.trainers.add(trainer)
    return cohort, yesterday, session, apps


def session_url(cohort):
    return reverse("courses:trainer-session", kwargs={"code": cohort.code})


# --- the service -------------------------------------------------------------------


def test_a_tap_records_a_mark_and_the_same_tap_again_changes_nothing():
    trainer = TrainerFactory()
    cohort, _y, today, (alice, _budi) = cohort_with_session(trainer)
    mark = {"cohort": cohort, "day_id": today.pk, "application_id": alice.pk, "actor": trainer}
    assert attendance_mark(present=True, **mark) is True
    assert attendance_mark(present=True, **mark) is False  # a retry after a dropped line
    row = Attendance.objects.get(day=today, application=alice)
    assert row.present and row.recorded_by == trainer
    assert attendance_mark(present=False, **mark) is True
    row.refresh_from_db()
    assert row.present is False
    assert Attendance.objects.count() == 1


def test_a_trainer_not_assigned_to_the_intake_is_refused():
    cohort, _y, today, (alice, _b) = cohort_with_session(TrainerFactory())
    with pytest.raises(TrainingError) as caught:
        attendance_tap(today, alice, actor=TrainerFactory())
    assert caught.value.code == TrainingError.NOT_ASSIGNED
    assert not Attendance.objects.exists()


def test_a_trainer_records_today_only_staff_may_correct_another_day():
    trainer = TrainerFactory()
    cohort, yesterday, _today, (alice, _b) = cohort_with_session(trainer)
    with pytest.raises(TrainingError) as caught:
        attendance_tap(yesterday, alice, actor=trainer)
    assert caught.value.code == TrainingError.NOT_TODAY
    assert attendance_tap(yesterday, alice, actor=StaffFactory())


def test_future_days_foreign_days_and_trainees_not_in_training_are_refused():
    trainer = TrainerFactory()
    cohort, _y, today, (alice, _b) = cohort_with_session(trainer)
    other, _oy, other_today, _apps = cohort_with_session(trainer)
    tomorrow = cohort.training_days.get(date=today.date + datetime.timedelta(days=1))
    staff = StaffFactory()
    withdrawn = application_in(cohort, S.WITHDRAWN)
    cases = [
        (tomorrow.pk, alice.pk, TrainingError.UNKNOWN_DAY),
        (other_today.pk, alice.pk, TrainingError.UNKNOWN_DAY),
        (today.pk, withdrawn.pk, TrainingError.NOT_IN_TRAINING),
    ]
    for day_id, application_id, code in cases:
        with pytest.raises(TrainingError) as caught:
            attendance_mark(
                cohort=cohort,
                day_id=day_id,
                application_id=application_id,
                present=True,
                actor=staff,
            )
        assert caught.value.code == code
    assert not Attendance.objects.exists()


# --- the selectors -----------------------------------------------------------------


def test_a_trainer_lists_only_their_intakes_with_todays_session():
    trainer = TrainerFactory()
    mine, _y, today, _apps = cohort_with_session(trainer)
    cohort_with_session(TrainerFactory())  # someone else's
    ended = cohort_dated(started=60, ends=-20, registration=(90, 70))
    ended.trainers.add(trainer)
    cohorts = cohort_list_for_trainer(user=trainer)
    assert [c.pk for c in cohorts] == [mine.pk]
    assert cohorts[0].today_day_id == today.pk
    assert cohort_list_for_trainer(user=StaffFactory()) == []


def test_the_session_roster_reads_a_fixed_number_of_queries(django_assert_num_queries):
    trainer = TrainerFactory()
    small, _y, _t, _apps = cohort_with_session(trainer, trainees=1)
    large, _y2, today, apps = cohort_with_session(trainer, trainees=12)
    attendance_tap(today, apps[0], actor=trainer)
    with django_assert_num_queries(3):
        trainer_session(cohort=small)
    with django_assert_num_queries(3):
        session = trainer_session(cohort=large)
    assert len(session.rows) == 12 and session.recorded == 1 and session.present == 1


def test_no_session_today_names_the_next_one():
    trainer = TrainerFactory()
    cohort, _y, today, _apps = cohort_with_session(trainer)
    today.delete()
    session = trainer_session(cohort=cohort)
    assert session.day is None
    assert session.next_day.date == timezone.localdate() + datetime.timedelta(days=1)


# --- the pages ---------------------------------------------------------------------


def test_the_trainer_taps_without_javascript_and_comes_back_to_the_row(client):
    trainer = TrainerFactory()
    cohort, _y, today, (alice, budi) = cohort_with_session(trainer)
    client.force_login(trainer)
    page = client.get(session_url(cohort))
    assert page.status_code == 200
    assert alice.trainee.user.full_name in page.content.decode()
    response = client.post(session_url(cohort), {"day": today.pk, "mark": f"{budi.pk}:absent"})
    assert response.status_code == 302
    assert response["Location"] == f"{session_url(cohort)}#trainee-{budi.pk}"
    assert Attendance.objects.get(application=budi).present is False
    page = client.get(session_url(cohort)).content.decode()
    assert "1 of 2 recorded, 0 present." in page or "1 dari 2 tercatat, 0 hadir." in page


def test_the_script_gets_json_for_a_saved_mark_and_for_a_refusal(client):
    trainer = TrainerFactory()
    cohort, yesterday, today, (alice, _b) = cohort_with_session(trainer)
    client.force_login(trainer)
    json = {"HTTP_ACCEPT": "application/json"}
    saved = client.post(
        session_url(cohort), {"day": today.pk, "mark": f"{alice.pk}:present"}, **json
    )
    assert saved.status_code == 200 and saved.json()["saved"] is True
    refused = client.post(
        session_url(cohort), {"day": yesterday.pk, "mark": f"{alice.pk}:absent"}, **json
    )
    assert refused.status_code == 409
    assert refused.json()["saved"] is False and refused.json()["message"]
    assert Attendance.objects.get(application=alice).present is True


@pytest.mark.parametrize(
    "data", [{}, {"day": "x", "mark": "1:present"}, {"day": "1", "mark": "1:maybe"}]
)
def test_a_garbled_tap_is_a_clear_400_and_saves_nothing(client, data):
    trainer = TrainerFactory()
    cohort, _y, _t, _apps = cohort_with_session(trainer)
    client.force_login(trainer)
    response = client.post(session_url(cohort), data)
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_another_trainer_gets_404_and_other_roles_403(client):
    cohort, _y, today, (alice, _b) = cohort_with_session(TrainerFactory())
    client.force_login(TrainerFactory())
    assert client.get(session_url(cohort)).status_code == 404
    post = client.post(session_url(cohort), {"day": today.pk, "mark": f"{alice.pk}:present"})
    assert post.status_code == 404
    client.force_login(StaffFactory())
    assert client.get(session_url(cohort)).status_code == 403
    client.force_login(alice.trainee.user)
    assert client.get(reverse("courses:trainer-home")).status_code == 403
    assert not Attendance.objects.exists()


def test_the_admin_grid_shows_what_the_trainer_recorded(admin_client):
    trainer = TrainerFactory(full_name="Bu Sri Pelatih")
    cohort, _y, today, (alice, _b) = cohort_with_session(trainer)
    attendance_tap(today, alice, actor=trainer)
    grid = cohort_attendance_grid(cohort=cohort)
    assert grid.by_trainer == {(today.pk, alice.pk): "Bu Sri Pelatih"}
    url = reverse("admin:courses_cohort_attendance", args=[cohort.pk])
    page = admin_client.get(url).content.decode()
    assert "Bu Sri Pelatih" in page and 'class="by-trainer"' in page


def test_the_admin_grid_does_not_overwrite_a_mark_a_trainer_tapped_after_it_was_loaded(
    admin_client,
):
    trainer = TrainerFactory()
    cohort, _y, today, (alice, budi) = cohort_with_session(trainer)
    url = reverse("admin:courses_cohort_attendance", args=[cohort.pk])
    loaded_at = timezone.now().isoformat()
    # Staff opened the grid (nobody present yet); meanwhile the trainer taps Alice present.
    attendance_tap(today, alice, actor=trainer)
    # Staff save the grid as they saw it, ticking only Budi.
    admin_client.post(
        url, {"loaded_at": loaded_at, "day": [today.pk], "present": [f"{today.pk}:{budi.pk}"]}
    )
    assert Attendance.objects.get(day=today, application=alice).present is True  # kept
    assert Attendance.objects.get(day=today, application=budi).present is True
    # A grid loaded after the tap does change it.
    admin_client.post(url, {"loaded_at": timezone.now().isoformat(), "day": [today.pk]})
    assert Attendance.objects.get(day=today, application=alice).present is False


def test_training_staff_assign_trainers_and_only_trainers_are_offered(training_staff_client):
    trainer = TrainerFactory(full_name="Pak Joko Pelatih")
    seeker = StaffFactory(role="job_seeker", is_staff=False, full_name="Pak Joko Pencari")
    cohort, *_rest = cohort_with_session()
    change = reverse("admin:courses_cohort_change", args=[cohort.pk])
    assert training_staff_client.get(change).status_code == 200
    found = training_staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Joko",
            "app_label": "courses",
            "model_name": "cohort",
            "field_name": "trainers",
        },
    ).json()
    ids = {int(row["id"]) for row in found["results"]}
    assert ids == {trainer.pk} and seeker.pk not in ids


def test_the_phone_page_needs_the_trainer_groups_permission_too(client):
    from django.contrib.auth.models import Group

    from core.roles import TRAINER

    trainer = TrainerFactory()
    cohort, *_rest = cohort_with_session(trainer)
    client.force_login(trainer)
    assert client.get(session_url(cohort)).status_code == 200
    # Taken out of the group (core.roles): the role alone opens nothing.
    trainer.groups.remove(Group.objects.get(name=TRAINER))
    assert client.get(session_url(cohort)).status_code == 403
    assert client.get(reverse("courses:trainer-home")).status_code == 403


def test_an_account_made_a_trainer_in_the_admin_joins_the_trainer_group(admin_client):
    from accounts.models import User
    from core.roles import TRAINER

    page = admin_client.get(reverse("admin:accounts_user_add")).context
    management = {
        f"{inline.formset.prefix}-{key}": value
        for inline in page["inline_admin_formsets"]
        for key, value in inline.formset.management_form.initial.items()
    }
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            **management,
            "email": "pelatih.baru@example.com",
            "full_name": "Pelatih Baru",
            "phone": "",
            "role": "trainer",
            "password1": "rahasia-panjang-12",
            "password2": "rahasia-panjang-12",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="pelatih.baru@example.com")
    assert list(user.groups.values_list("name", flat=True)) == [TRAINER]
