"""The staff work queue ("Hari ini"): what it lists, for whom, and at a flat query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import ADMINISTRATOR, PLACEMENT_OFFICER, TRAINING_STAFF
from courses.models import Application, ApplicationStatus, Cohort, SeatOffer
from courses.tests.factories import (
    CohortFactory,
    ProgramFactory,
    TrainingDayFactory,
    application_in,
    local_trainee,
)
from notifications.models import Notification
from notifications.services import UNKNOWN
from placements.models import Employer, Vacancy
from placements.tests.factories import EmployerFactory, VacancyFactory
from reports.selectors.workqueue import work_queue_build

pytestmark = pytest.mark.django_db

URL = "/admin/today/"


def _closed_cohort(closed=1, **kwargs):
    """An intake whose registration opened 20 days ago and closed `closed` days ago."""
    now = timezone.now()
    return CohortFactory(
        registration_opens_at=now - datetime.timedelta(days=20),
        registration_closes_at=now - datetime.timedelta(days=closed),
        **kwargs,
    )


def _section(queue, key):
    return next(s for s in queue.sections if s.key == key)


def test_route_is_the_named_work_queue():
    assert reverse("work-queue") == URL


def test_admin_index_links_to_the_work_queue_first(training_staff_client):
    body = training_staff_client.get("/admin/").content.decode()
    assert URL in body
    assert body.index(URL) < body.index("/admin/courses/")


def test_non_staff_are_sent_to_the_admin_login(client, django_user_model):
    assert client.get(URL).status_code == 302
    person = django_user_model.objects.create_user("orang@example.com", "x")
    client.force_login(person)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_documents_waiting_oldest_cohort_first_with_a_link(staff_member):
    newer, older = CohortFactory(code="NEW-2026-01"), CohortFactory(code="OLD-2026-01")
    application_in(newer)
    first = application_in(older)
    application_in(older)
    application_in(older, status="documents_verified")
    type(first).objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    queue = work_queue_build(user=staff_member(TRAINING_STAFF))
    lines = _section(queue, "documents").lines
    assert [(line.text, line.count) for line in lines] == [("OLD-2026-01", 2), ("NEW-2026-01", 1)]
    assert f"cohort__id__exact={older.pk}" in lines[0].url
    assert "status__exact=submitted" in lines[0].url


def test_closed_registration_with_verified_applicants_needs_selection(staff_member):
    cohort = _closed_cohort(code="SEL-2026-01")
    application_in(cohort, status="documents_verified")
    application_in(cohort, status="documents_verified")
    application_in(cohort)  # still unchecked
    application_in(CohortFactory(), status="documents_verified")  # registration still open
    queue = work_queue_build(user=staff_member(TRAINING_STAFF))
    [line] = _section(queue, "selection").lines
    assert (line.text, line.count) == ("SEL-2026-01", 2)
    assert "1 pendaftar belum diperiksa" in line.detail
    assert line.url == reverse("admin:courses_cohort_selection", args=[cohort.pk])


def test_offers_lapsing_within_a_day_only(staff_member):
    cohort = _closed_cohort()
    now = timezone.now()
    soon = application_in(cohort, status="reserve", reserve_position=1)
    later = application_in(cohort, status="reserve", reserve_position=2)
    SeatOffer.objects.create(
        application=soon, cohort=cohort, expires_at=now + datetime.timedelta(hours=3)
    )
    SeatOffer.objects.create(
        application=later, cohort=cohort, expires_at=now + datetime.timedelta(days=2)
    )
    queue = work_queue_build(user=staff_member(TRAINING_STAFF))
    [line] = _section(queue, "offers").lines
    assert line.urgent
    assert line.url == reverse("admin:courses_application_change", args=[soon.pk])


def test_reregistration_deadline_soon_counts_the_unconfirmed(staff_member):
    now = timezone.now()
    cohort = _closed_cohort(reregistration_deadline=now + datetime.timedelta(days=2))
    application_in(cohort, status="accepted")
    application_in(cohort, status="confirmed")
    _closed_cohort(reregistration_deadline=now + datetime.timedelta(days=6))
    queue = work_queue_build(user=staff_member(TRAINING_STAFF))
    [line] = _section(queue, "reregistration").lines
    assert (line.text, line.count) == (cohort.code, 1)


def test_intake_starting_this_week_says_what_it_lacks(staff_member):
    today = timezone.localdate()
    lacking = _closed_cohort(
        3,
        code="GAP-2026-01",
        training_start=today + datetime.timedelta(days=3),
        capacity=2,
        schedule="",
    )
    application_in(lacking, status="accepted")
    ready = _closed_cohort(
        3, code="RDY-2026-01", training_start=today + datetime.timedelta(days=4), capacity=1
    )
    application_in(ready, status="confirmed")
    TrainingDayFactory(cohort=ready)
    queue = work_queue_build(user=staff_member(TRAINING_STAFF))
    gap, ok = _section(queue, "starting").lines
    assert gap.text == "GAP-2026-01" and gap.urgent and gap.count == 4
    assert "1 kursi kosong" in gap.detail
    assert ok.text == "RDY-2026-01" and not ok.urgent and ok.count == 0


def test_moderation_counts_vacancies_and_employers(staff_member):
    VacancyFactory(
        status=Vacancy.Status.SUBMITTED, submitted_at=timezone.now(), salary_min=1_000_000
    )
    VacancyFactory(status=Vacancy.Status.SUBMITTED, submitted_at=timezone.now())
    VacancyFactory()  # published
    EmployerFactory(verified_at=None)
    queue = work_queue_build(user=staff_member(PLACEMENT_OFFICER))
    vacancies, employers = _section(queue, "moderation").lines
    assert vacancies.count == 2 and "1 di bawah UMK" in vacancies.detail
    assert "status__exact=submitted" in vacancies.url
    assert employers.count == Employer.objects.filter(verified_at__isnull=True).count() >= 1
    assert "verified=no" in employers.url


def test_outbox_counts_failed_and_unknown(staff_member):
    base = {"address": "a@example.com", "kind": "email_verify", "language": "id"}
    Notification.objects.create(state="failed", dedup_key="k1", last_error="550 no", **base)
    Notification.objects.create(state="failed", dedup_key="k2", last_error=UNKNOWN + "x", **base)
    Notification.objects.create(state="sent", sent_at=timezone.now(), dedup_key="k3", **base)
    queue = work_queue_build(user=staff_member(TRAINING_STAFF))
    [line] = _section(queue, "outbox").lines
    assert line.count == 2
    assert "1" in line.detail
    assert "state__exact=failed" in line.url


def test_outbox_counts_the_days_time_critical_messages_that_reached_nobody(staff_member):
    base = {"address": "+6281234567890", "kind": "application.seat_offered", "language": "id"}
    sent = {"state": "sent", "sent_at": timezone.now(), **base}
    Notification.objects.create(channel="whatsapp", dedup_key="u1", **sent)  # never delivered
    Notification.objects.create(channel="whatsapp", dedup_key="u2", provider_status="read", **sent)
    Notification.objects.create(channel="sms", dedup_key="u3", provider_status="failed", **sent)
    Notification.objects.create(channel="sms", dedup_key="u4", **sent)  # taken, no report
    queue = work_queue_build(user=staff_member(TRAINING_STAFF))
    [line] = _section(queue, "outbox").lines
    assert line.count == 2 and line.urgent
    assert "delivery=urgent_undelivered" in line.url


def test_sections_follow_the_role(staff_member):
    training = {s.key for s in work_queue_build(user=staff_member(TRAINING_STAFF)).sections}
    placement = {s.key for s in work_queue_build(user=staff_member(PLACEMENT_OFFICER)).sections}
    admin = {s.key for s in work_queue_build(user=staff_member(ADMINISTRATOR)).sections}
    assert "documents" in training and "moderation" not in training
    assert "moderation" in placement and "documents" not in placement
    assert {"documents", "moderation", "outbox"} <= admin


def test_page_renders_every_line_with_its_link(training_staff_client):
    cohort = CohortFactory(code="PAGE-2026-01")
    application_in(cohort)
    response = training_staff_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "PAGE-2026-01" in body
    assert f"cohort__id__exact={cohort.pk}" in body


def _work_rows(n: int) -> None:
    """n lines in every section of the work queue, in a few bulk inserts.

    Intakes waiting for the document check, closed with verified applicants to select
    (each with a reserve offer lapsing and a daftar ulang deadline soon), intakes starting
    this week, vacancies and employers to moderate, failed messages.
    """
    now = timezone.now()
    today = timezone.localdate()
    program = ProgramFactory()
    pool = [local_trainee() for _ in range(3)]

    def cohorts(prefix, registration, training, **fields):
        """`n` intakes; `registration` and `training`: (first, last) in days from now."""
        (opens, closes), (starts, ends) = registration, training
        return Cohort.objects.bulk_create(
            [
                Cohort(
                    program=program,
                    code=f"{prefix}{n}X{i}-2026-01",
                    location="STC",
                    registration_opens_at=now + datetime.timedelta(days=opens),
                    registration_closes_at=now + datetime.timedelta(days=closes),
                    training_start=today + datetime.timedelta(days=starts),
                    training_end=today + datetime.timedelta(days=ends),
                    **fields,
                )
                for i in range(n)
            ]
        )

    unchecked = cohorts("DOC", (-7, 7), (21, 55))
    closed = cohorts(
        "SEL", (-20, -1), (21, 55), reregistration_deadline=now + datetime.timedelta(days=2)
    )
    starting = cohorts("GO", (-20, -3), (3, 40))
    S = ApplicationStatus
    rows = [Application(cohort=c, trainee=t, status=S.SUBMITTED) for c in unchecked for t in pool]
    for cohort in closed:
        rows += [
            Application(cohort=cohort, trainee=pool[0], status=S.DOCUMENTS_VERIFIED),
            Application(cohort=cohort, trainee=pool[1], status=S.ACCEPTED),
            Application(cohort=cohort, trainee=pool[2], status=S.RESERVE, reserve_position=1),
        ]
    rows += [Application(cohort=c, trainee=pool[0], status=S.ACCEPTED) for c in starting]
    Application.objects.bulk_create(rows)
    reserves = Application.objects.filter(status=S.RESERVE, cohort__in=closed)
    SeatOffer.objects.bulk_create(
        [
            SeatOffer(
                application=a, cohort_id=a.cohort_id, expires_at=now + datetime.timedelta(hours=3)
            )
            for a in reserves
        ]
    )
    for _ in range(n):
        VacancyFactory(status=Vacancy.Status.SUBMITTED, submitted_at=now, salary_min=1_000_000)
        EmployerFactory(verified_at=None)
    base = {"address": "a@example.com", "kind": "email_verify", "language": "id"}
    Notification.objects.bulk_create(
        [Notification(state="failed", dedup_key=f"wq-{n}-{i}", **base) for i in range(n)]
    )


@pytest.mark.parametrize("rows", [1, 10])
def test_query_count_is_flat_at_one_and_ten_times_the_rows(
    rows, staff_member, client, django_assert_max_num_queries
):
    _work_rows(rows)
    client.force_login(staff_member(ADMINISTRATOR))
    # 12 at both sizes when measured (one is the day's undelivered time-critical
    # messages); one spare for the memoised placement policy.
    with django_assert_max_num_queries(13):
        response = client.get(URL)
    assert response.status_code == 200
    sections = {s.key: s for s in response.context["queue"].sections}
    # Every section is filled, ten times as much at the larger size.
    for key in ("documents", "selection", "offers", "reregistration", "starting"):
        assert len(sections[key].lines) == rows, key
    assert sections["moderation"].lines[0].count == rows
    assert sections["moderation"].lines[1].count >= rows
    assert sections["outbox"].lines[0].count == rows
