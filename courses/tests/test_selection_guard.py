"""Selection is guarded: refused with the facts while registration is open or applications
wait for their document check, unless staff run it early and say why."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import TRAINING_STAFF
from courses.admissions.services.selection import cohort_selection_plan, cohort_selection_run
from courses.errors import SelectionError
from courses.models import ApplicationEvent, ApplicationStatus, SelectionRun

from .factories import CohortFactory, application_in, scored

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def closed_cohort(**kwargs):
    now = timezone.now()
    return CohortFactory(
        registration_opens_at=now - datetime.timedelta(days=20),
        registration_closes_at=now - datetime.timedelta(hours=1),
        **kwargs,
    )


def run(cohort, **kwargs):
    plan = cohort_selection_plan(cohort=cohort)
    return cohort_selection_run(cohort=cohort, actor=None, fingerprint=plan.fingerprint, **kwargs)


def test_open_registration_and_unchecked_applications_refuse_with_the_facts():
    cohort = CohortFactory()
    waiting = scored(cohort, 80)
    for _ in range(2):
        application_in(cohort)  # submitted: documents not checked yet
    with pytest.raises(SelectionError) as caught:
        run(cohort)
    assert caught.value.code == SelectionError.TOO_EARLY
    assert "Pendaftaran masih dibuka sampai" in caught.value.message
    assert "WIB" in caught.value.message
    assert "2 pendaftar belum diperiksa" in caught.value.message
    waiting.refresh_from_db()
    assert waiting.status == S.DOCUMENTS_VERIFIED
    assert not SelectionRun.objects.exists()


def test_closed_registration_with_unchecked_applications_is_still_early():
    cohort = closed_cohort()
    scored(cohort, 80)
    application_in(cohort)
    plan = cohort_selection_plan(cohort=cohort)
    assert plan.early_facts == ["1 pendaftar belum diperiksa"]
    with pytest.raises(SelectionError) as caught:
        run(cohort)
    assert caught.value.code == SelectionError.TOO_EARLY
    assert "Pendaftaran masih dibuka" not in caught.value.message


def test_unchecked_applications_do_not_count_when_the_intake_has_no_document_check():
    cohort = closed_cohort(uses_document_check=False)
    scored(cohort, 80)
    application_in(cohort)
    assert cohort_selection_plan(cohort=cohort).early_facts == []


def test_an_early_run_needs_a_reason():
    cohort = CohortFactory()
    waiting = scored(cohort, 80)
    with pytest.raises(SelectionError) as caught:
        run(cohort, early_reason="   ")
    assert caught.value.code == SelectionError.EARLY_REASON_REQUIRED
    waiting.refresh_from_db()
    assert waiting.status == S.DOCUMENTS_VERIFIED


def test_an_early_run_with_a_reason_is_recorded_on_the_run_and_each_event():
    cohort = CohortFactory(capacity=1)
    best = scored(cohort, 90)
    scored(cohort, 70)
    application_in(cohort)
    selection = run(cohort, early_reason="Kelas industri dimulai lebih awal.")
    assert selection.early_reason == "Kelas industri dimulai lebih awal."
    assert any("Pendaftaran masih dibuka" in fact for fact in selection.early_facts)
    event = ApplicationEvent.objects.get(application=best, to_status=S.ACCEPTED)
    assert event.data["early_run"]["reason"] == "Kelas industri dimulai lebih awal."
    assert "1 pendaftar belum diperiksa" in event.data["early_run"]["facts"]


def test_a_run_on_time_needs_no_reason_and_records_none():
    cohort = closed_cohort(capacity=1)
    scored(cohort, 90)
    selection = run(cohort)
    assert selection.early_reason == "" and selection.early_facts == []
    assert selection.accepted == 1


# ------------------------------------------------------------------------------ admin


@pytest.fixture
def staff_client(client, staff_member):
    client.force_login(staff_member(TRAINING_STAFF))
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_admin_preview_shows_the_facts_and_the_early_run_choice(staff_client):
    cohort = CohortFactory()
    scored(cohort, 80)
    application_in(cohort)
    response = staff_client.get(reverse("admin:courses_cohort_selection", args=[cohort.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pendaftaran masih dibuka sampai" in body
    assert 'name="early"' in body and 'name="early_reason"' in body


def test_admin_confirm_while_early_is_refused_with_the_facts(staff_client):
    cohort = CohortFactory()
    waiting = scored(cohort, 80)
    url = reverse("admin:courses_cohort_selection", args=[cohort.pk])
    fingerprint = staff_client.get(url).context["plan"].fingerprint
    # A reason alone is not a choice: the box must be ticked.
    response = staff_client.post(
        url, {"fingerprint": fingerprint, "early_reason": "karena"}, follow=True
    )
    assert any("Pendaftaran masih dibuka sampai" in m for m in messages_of(response))
    waiting.refresh_from_db()
    assert waiting.status == S.DOCUMENTS_VERIFIED
    response = staff_client.post(
        url, {"fingerprint": fingerprint, "early": "on", "early_reason": ""}, follow=True
    )
    assert any("alasan" in m.lower() for m in messages_of(response))
    assert not SelectionRun.objects.exists()


def test_admin_early_run_says_exactly_who_was_told_what(staff_client):
    cohort = CohortFactory(capacity=1, reserve_size=1)
    best, second, third = (scored(cohort, s) for s in (90, 80, 70))
    names = [a.trainee.user.full_name for a in (best, second, third)]
    url = reverse("admin:courses_cohort_selection", args=[cohort.pk])
    fingerprint = staff_client.get(url).context["plan"].fingerprint
    response = staff_client.post(
        url,
        {"fingerprint": fingerprint, "early": "on", "early_reason": "Permintaan mitra industri."},
        follow=True,
    )
    lines = messages_of(response)
    accepted = next(m for m in lines if m.startswith("Diterima"))
    reserve = next(m for m in lines if m.startswith("Daftar cadangan"))
    refused = next(m for m in lines if m.startswith("Tidak diterima"))
    assert names[0] in accepted and names[1] in reserve and names[2] in refused
    assert "(E-mail)" in accepted or "(Email)" in accepted or "(e-mail)" in accepted.lower()
    assert SelectionRun.objects.get().early_reason == "Permintaan mitra industri."
