"""The event base: one writer, reasons the portal gives stored as codes."""

import pytest
from django.utils import translation

from core.events import event_record, status_move
from placements.models import SystemReason, VacancyEvent
from placements.tests.factories import JobApplicationFactory, StaffFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def test_event_record_defaults_to_the_subjects_status_and_writes_its_table():
    vacancy = VacancyFactory(status="published")
    staff = StaffFactory()
    event = event_record(subject=vacancy, actor=staff, reason="  checked by phone  ")
    assert isinstance(event, VacancyEvent) and event.vacancy == vacancy
    assert (event.category, event.from_status, event.to_status) == (
        "status",
        "published",
        "published",
    )
    assert event.reason == "checked by phone" and event.reason_text == "checked by phone"
    assert event.actor == staff


def test_an_unknown_reason_code_is_refused():
    with pytest.raises(ValueError, match="Unknown reason code"):
        event_record(subject=VacancyFactory(), actor=None, reason_code="made_up")


def test_a_reason_code_is_translated_for_whoever_reads_it(monkeypatch):
    monkeypatch.setattr(
        VacancyEvent, "REASONS", {"closed_early": SystemReason.VACANCY_CLOSED.label}
    )
    event = event_record(subject=VacancyFactory(), actor=None, reason_code="closed_early")
    event = VacancyEvent.objects.get(pk=event.pk)
    assert event.reason == "" and event.data == {"reason_code": "closed_early"}
    with translation.override("en"):
        english = event.reason_text
    with translation.override("id"):
        indonesian = event.reason_text
    assert english == "The vacancy was closed before a decision on your application."
    assert indonesian != english and indonesian


def test_status_move_saves_the_new_status_and_records_the_move():
    vacancy = VacancyFactory(status="draft")
    staff = StaffFactory()
    event = status_move(subject=vacancy, to="submitted", actor=staff, reason="ready")
    vacancy.refresh_from_db()
    assert vacancy.status == "submitted"
    assert (event.from_status, event.to_status, event.reason) == ("draft", "submitted", "ready")
    assert event.actor == staff


def test_status_move_sets_the_status_time_when_the_model_keeps_one():
    job_application = JobApplicationFactory()
    before = job_application.status
    event = status_move(subject=job_application, to="shortlisted", actor=None)
    job_application.refresh_from_db()
    assert job_application.status_changed_at == event.created_at
    assert (event.from_status, event.to_status) == (before, "shortlisted")
