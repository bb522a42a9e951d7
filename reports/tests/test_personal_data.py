"""Tracer answers are part of the person's data download, and erasure anonymises them."""

import io
import json
import zipfile

import pytest
from django.utils import timezone

from core.personal_data import account_erase, personal_data_zip
from reports.models import TracerSurvey
from reports.selectors.tracer import add_months, tracer_due_applications

from .factories import TracerSurveyFactory, application, finished_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    app = application(cohort=finished_cohort(), status="passed")
    return TracerSurveyFactory(
        application=app,
        working=True,
        employer_name="PT Kaca Batang",
        salary_band="umk_3_5m",
        related_to_training=True,
        answered_at=timezone.now(),
    )


def test_the_download_holds_the_tracer_answers(survey):
    user = survey.application.trainee.user
    archive = zipfile.ZipFile(io.BytesIO(personal_data_zip(user=user)))
    data = json.loads(archive.read("data.json"))
    answers = data["reports"]["placement_tracer"]
    assert answers[0]["employer"] == "PT Kaca Batang"
    assert answers[0]["working"] is True and answers[0]["months_after_training"] == 3


def test_erasure_keeps_the_statistics_and_drops_the_employer_name(survey):
    user = survey.application.trainee.user
    round_six = add_months(survey.application.cohort.training_end, 6)
    assert list(tracer_due_applications(round=6, today=round_six)) == [survey.application]
    counts = account_erase(user=user, actor=user)
    assert counts["reports"] == {"tracer_answers_anonymised": 1}
    survey.refresh_from_db()
    assert survey.employer_name == ""
    assert survey.working is True and survey.salary_band == "umk_3_5m"
    # An erased account is never asked again.
    assert not tracer_due_applications(round=6, today=round_six)
    assert TracerSurvey.objects.count() == 1
