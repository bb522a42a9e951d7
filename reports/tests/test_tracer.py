"""The placement tracer: who is asked when, once per round, answers from the link."""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from reports.errors import TracerError
from reports.models import TracerSurvey
from reports.selectors import dashboard_build
from reports.selectors.tracer import add_months, tracer_due_applications, tracer_token_make
from reports.services import tracer_answer_record, tracer_send_due
from reports.tasks import tracer_send_due_task

from .factories import TracerSurveyFactory, application, applications, finished_cohort

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def ended(months_ago: int, days: int = 0):
    return finished_cohort(ended=add_months(TODAY, -months_ago) - datetime.timedelta(days=days))


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2026, 5, 31), -3) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), -3) == datetime.date(2025, 10, 15)
    assert add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)


def test_who_is_due_in_each_round():
    three = ended(3)  # ended three months ago today: round 3
    too_early = finished_cohort(ended=add_months(TODAY, -3) + datetime.timedelta(days=1))
    four = ended(4)  # still in round 3's window
    six = ended(6)  # round 6, and too late for round 3
    ten = ended(10)  # too late for both
    grads = {c: application(cohort=c, status="passed") for c in (three, too_early, four, six, ten)}
    application(cohort=three, status="not_passed")
    application(cohort=three, status="dropped_out")

    due3 = set(tracer_due_applications(round=3, today=TODAY))
    due6 = set(tracer_due_applications(round=6, today=TODAY))
    assert due3 == {grads[three], grads[four]}
    assert due6 == {grads[six]}


def test_each_graduate_gets_one_email_per_round(django_capture_on_commit_callbacks):
    cohort = ended(3)
    graduates = applications(3, cohort=cohort, status="passed")
    with django_capture_on_commit_callbacks(execute=True):
        assert tracer_send_due(today=TODAY) == 3
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {g.trainee.user.email for g in graduates}
    # The beat job runs again the next day (or twice the same day): nobody is asked again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tracer_send_due(today=TODAY) == 0
        assert tracer_send_due(today=TODAY + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 3
    assert TracerSurvey.objects.filter(round=3).count() == 3
    assert set(Notification.objects.values_list("dedup_key", flat=True)) == {
        f"tracer.survey:{g.pk}:3" for g in graduates
    }
    # Three months later the same graduates are asked the second round, once.
    later = add_months(TODAY, 3)
    with django_capture_on_commit_callbacks(execute=True):
        assert tracer_send_due(today=later) == 3
        assert tracer_send_due(today=later) == 0
    assert len(mail.outbox) == 6
    assert TracerSurvey.objects.filter(round=6).count() == 3


def test_the_email_has_the_one_click_answers_in_the_graduate_language(
    client, django_capture_on_commit_callbacks
):
    cohort = ended(3)
    indonesian = application(cohort=cohort, status="passed")
    english = application(cohort=cohort, status="passed")
    english.trainee.user.language = "en"
    english.trainee.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        tracer_send_due(today=TODAY)
    by_address = {m.to[0]: m for m in mail.outbox}
    message_id = by_address[indonesian.trainee.user.email]
    assert "Sudah bekerja?" in message_id.subject
    assert "Ya, saya sudah bekerja" in message_id.body
    message_en = by_address[english.trainee.user.email]
    assert message_en.subject.startswith("Are you working now?")
    links = re.findall(
        re.escape(settings.SITE_URL) + r"(/tracer/[^/\s]+/)\?answer=(\w+)", message_en.body
    )
    assert [answer for _path, answer in links] == ["working", "not_working"]
    assert links[0][0] == links[1][0]
    html = message_en.alternatives[0][0]
    assert f'href="{settings.SITE_URL}{links[0][0]}?answer=working"' in html
    # The link opens this graduate's question.
    page = client.get(links[0][0] + "?answer=working")
    assert page.context["survey"] == TracerSurvey.objects.get(application=english)


def test_the_periodic_task_asks_and_is_scheduled():
    assert (
        settings.CELERY_BEAT_SCHEDULE["reports-tracer-send-due"]["task"]
        == "reports.tasks.tracer_send_due_task"
    )
    application(cohort=finished_cohort(ended=add_months(timezone.localdate(), -3)), status="passed")
    assert tracer_send_due_task.delay().get() == 1


# ---------------------------------------------------------------------- answering


@pytest.fixture
def survey():
    return TracerSurveyFactory(application=application(cohort=ended(3), status="passed"))


def answer_url(survey, **query):
    url = reverse("reports:tracer-answer", kwargs={"token": tracer_token_make(survey)})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_yes_button_opens_the_page_with_the_answer_chosen(client, survey):
    response = client.get(answer_url(survey, answer="working"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Apakah Anda sudah bekerja?" in content
    assert response.context["form"].initial["working"] == "yes"
    survey.refresh_from_db()
    assert survey.answered_at is None  # opening a link records nothing (mail scanners)


def test_an_answer_is_recorded_from_the_link(client, survey):
    # One URL: a token made a second later differs (signing stamps the time).
    url = answer_url(survey)
    response = client.post(
        url,
        {
            "working": "yes",
            "employer_name": "PT Kaca Batang",
            "salary_band": "umk_3_5m",
            "related_to_training": "yes",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    survey.refresh_from_db()
    assert survey.working is True and survey.answered_at is not None
    assert survey.employer_name == "PT Kaca Batang"
    assert survey.salary_band == "umk_3_5m" and survey.related_to_training is True
    page = client.get(response["Location"]).content.decode()
    assert "Terima kasih, jawaban Anda sudah tersimpan." in page
    assert "Anda bisa mengubahnya" in page


def test_not_yet_replaces_an_earlier_answer_and_its_details(client, survey):
    tracer_answer_record(survey=survey, working=True, employer_name="PT A", salary_band="above_5m")
    client.post(answer_url(survey), {"working": "no", "employer_name": "ignored"})
    survey.refresh_from_db()
    assert survey.working is False
    assert survey.employer_name == "" and survey.salary_band == ""


def test_an_incomplete_answer_is_refused_with_a_message(client, survey):
    response = client.post(answer_url(survey), {"salary_band": "above_5m"})
    assert response.status_code == 400
    assert "Pilih “Ya, saya sudah bekerja” atau “Belum”." in response.content.decode()
    response = client.post(answer_url(survey), {"working": "yes", "salary_band": "a lot"})
    assert response.status_code == 400
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_the_answer_page_in_english(client, survey):
    client.cookies["django_language"] = "en"
    content = client.get(answer_url(survey)).content.decode()
    assert "Are you working now?" in content and "Send my answer" in content


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps(999999, salt="reports.tracer"),  # no such survey
        lambda token: signing.dumps(1, salt="something.else"),
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_or_unknown_token_is_404(client, survey, mangle):
    token = mangle(tracer_token_make(survey))
    url = reverse("reports:tracer-answer", kwargs={"token": token})
    assert client.get(url).status_code == 404
    assert client.post(url, {"working": "yes"}).status_code == 404
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_an_expired_link_is_404(client, survey, monkeypatch):
    real_time = time.time
    monkeypatch.setattr(
        signing.time, "time", lambda: real_time() - (settings.TRACER_LINK_DAYS + 1) * 86400
    )
    token = tracer_token_make(survey)
    monkeypatch.setattr(signing.time, "time", real_time)
    url = reverse("reports:tracer-answer", kwargs={"token": token})
    assert client.get(url).status_code == 404


def test_the_service_refuses_an_unknown_salary_band(survey):
    with pytest.raises(TracerError) as error:
        tracer_answer_record(survey=survey, working=True, salary_band="a lot")
    assert error.value.code == TracerError.INVALID_ANSWER


def test_answers_feed_the_figures(client, survey):
    assert dashboard_build().totals["placed"].value == 0
    applications(4, cohort=survey.application.cohort, status="passed")
    client.post(answer_url(survey), {"working": "yes"})
    cohort = survey.application.cohort
    for app in cohort.applications.exclude(pk=survey.application_id):
        tracer_answer_record(survey=TracerSurveyFactory(application=app), working=True)
    dashboard = dashboard_build()
    assert dashboard.totals["placed"].value == 5
    assert dashboard.totals["graduates"].value == 5
    assert dashboard.rate.text == "100%"
