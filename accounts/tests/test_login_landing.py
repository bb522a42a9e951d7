"""Where each role lands after logging in without a `next` page."""

import pytest
from django.urls import reverse

from trainees.tests.factories import CompleteTraineeFactory, StaffFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def test_after_log_in_a_job_seeker_lands_on_the_dashboard_and_a_trainer_on_their_intakes(
    client,
):
    seeker = CompleteTraineeFactory().user
    trainer = TrainerFactory()
    for user, landing in ((seeker, "courses:dashboard"), (trainer, "courses:trainer-home")):
        client.logout()
        response = client.post(
            reverse("login"), {"username": user.email, "password": "rahasia-panjang-1"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse(landing)


def test_a_next_page_still_wins_and_staff_keep_the_default(client):
    seeker = CompleteTraineeFactory().user
    response = client.post(
        reverse("login") + "?next=/courses/",
        {"username": seeker.email, "password": "rahasia-panjang-1"},
    )
    assert response["Location"] == "/courses/"
    client.logout()
    staff = StaffFactory()
    response = client.post(
        reverse("login"), {"username": staff.email, "password": "rahasia-panjang-1"}
    )
    assert response["Location"] == reverse("home")
