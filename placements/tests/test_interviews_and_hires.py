"""Employers' interviews (history, the upcoming list, the .ics file, the invitation on the
person's channel) and hires (start date after the application, salary below the UMK
flagged, shown back to both sides)."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from placements import services
from placements.errors import JobApplicationError
from placements.models import JobApplication, Placement, umk_batang

from .factories import EmployerFactory, JobApplicationFactory, employer_account, job_seeker

pytestmark = pytest.mark.django_db
S = JobApplication.Status


def pipeline(status=S.SHORTLISTED, **kwargs):
    application = JobApplicationFactory(status=status, person=job_seeker(), **kwargs)
    employer = application.vacancy.employer
    return application, employer, employer_account(employer)


def move(application, employer, actor, to, **kwargs):
    return services.job_application_move(
        job_application=application, employer=employer, actor=actor, to=to, **kwargs
    )


def invite(application, employer, actor, *, days=2, place="Kantor HRD, KITB Blok C"):
    when = (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)
    move(application, employer, actor, S.INTERVIEW, interview_at=when, interview_place=place)
    return when


# --------------------------------------------------------------------------- interviews


def test_interview_details_are_in_the_history_both_sides_read(client):
    application, employer, actor = pipeline()
    when = invite(application, employer, actor)
    event = application.events.get(to_status=S.INTERVIEW)
    assert (event.interview_at, event.interview_place) == (when, "Kantor HRD, KITB Blok C")

    client.force_login(application.person)
    body = client.get(reverse("placements:job-application-detail", args=[application.pk]))
    assert 'data-testid="timeline-interview"' in body.content.decode()
    assert "Kantor HRD, KITB Blok C" in body.content.decode()
    client.force_login(actor)
    page = client.get(reverse("placements:employer-job-application-detail", args=[application.pk]))
    html = page.content.decode()
    assert 'data-testid="timeline-interview"' in html
    assert reverse("placements:employer-interview-ics", args=[application.pk]) in html


def test_the_invitation_is_queued_on_the_persons_channel():
    application, employer, actor = pipeline()
    invite(application, employer, actor)
    invitation = Notification.objects.get(
        kind=Notification.Kind.JOB_APPLICATION_STATUS_CHANGED, recipient=application.person
    )
    assert invitation.context["interview_place"] == "Kantor HRD, KITB Blok C"
    assert invitation.channel  # chosen by the outbox from the person's contacts


def test_upcoming_interviews_list_only_the_employers_own_soonest_first(client):
    later, employer, actor = pipeline()
    sooner = JobApplicationFactory(status=S.SHORTLISTED, person=job_seeker(), vacancy=later.vacancy)
    invite(later, employer, actor, days=5)
    invite(sooner, employer, actor, days=1, place="Pos satpam gerbang 2")
    other, other_employer, other_actor = pipeline()
    invite(other, other_employer, other_actor, place="Kantor pesaing")
    JobApplicationFactory(status=S.SHORTLISTED, vacancy=later.vacancy)  # not invited

    client.force_login(actor)
    response = client.get(reverse("placements:employer-interview-list"))
    assert response.status_code == 200
    assert [a.pk for a in response.context["interviews"]] == [sooner.pk, later.pk]
    html = response.content.decode()
    assert "Pos satpam gerbang 2" in html and "Kantor pesaing" not in html


def test_interview_list_query_count_is_flat(client, django_assert_max_num_queries):
    application, employer, actor = pipeline()
    invite(application, employer, actor)
    client.force_login(actor)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("placements:employer-interview-list"))
    for _ in range(8):
        extra = JobApplicationFactory(
            status=S.SHORTLISTED, person=job_seeker(), vacancy=application.vacancy
        )
        invite(extra, employer, actor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("placements:employer-interview-list"))
    assert len(response.context["interviews"]) == 9


def test_ics_file_of_an_interview(client):
    application, employer, actor = pipeline()
    when = invite(application, employer, actor, place="Gedung A; lantai 2, ruang HRD")
    client.force_login(actor)
    response = client.get(reverse("placements:employer-interview-ics", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART:{when.astimezone(datetime.UTC).strftime('%Y%m%dT%H%M%SZ')}" in text
    assert "LOCATION:Gedung A\\; lantai 2\\, ruang HRD" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_ics_of_another_employers_interview_or_no_interview_is_404(client):
    application, employer, actor = pipeline()
    invite(application, employer, actor)
    not_invited, _employer, own_actor = pipeline()
    outsider = employer_account(EmployerFactory())
    client.force_login(outsider)
    url = reverse("placements:employer-interview-ics", args=[application.pk])
    assert client.get(url).status_code == 404
    client.force_login(own_actor)
    url = reverse("placements:employer-interview-ics", args=[not_invited.pk])
    assert client.get(url).status_code == 404


def test_interview_pages_are_for_employers_only(client):
    application, employer, actor = pipeline()
    invite(application, employer, actor)
    client.force_login(application.person)
    assert client.get(reverse("placements:employer-interview-list")).status_code == 403
    url = reverse("placements:employer-interview-ics", args=[application.pk])
    assert client.get(url).status_code == 403


# ------------------------------------------------------------------------------- hires


def test_start_date_before_the_application_is_refused():
    application, employer, actor = pipeline(status=S.OFFERED)
    JobApplication.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    with pytest.raises(JobApplicationError) as caught:
        move(
            application,
            employer,
            actor,
            S.HIRED,
            start_date=timezone.localdate() - timedelta(days=11),
        )
    assert caught.value.code == JobApplicationError.START_DATE_BEFORE_APPLICATION
    assert not Placement.objects.exists()
    # The day of the application itself is fine.
    move(
        application, employer, actor, S.HIRED, start_date=timezone.localdate() - timedelta(days=10)
    )
    assert Placement.objects.count() == 1


def test_start_date_refusal_is_a_form_error_not_a_500(client):
    application, employer, actor = pipeline(status=S.OFFERED)
    client.force_login(actor)
    before = (timezone.localdate(application.created_at) - timedelta(days=3)).isoformat()
    response = client.post(
        reverse("placements:employer-job-application-move", args=[application.pk, "hired"]),
        {"hired-start_date": before, "hired-salary": "3.000.000"},
    )
    assert response.status_code == 400
    assert "sebelum lamaran" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.OFFERED


def test_hire_below_the_umk_is_flagged_and_shown_to_both_sides(client):
    application, employer, actor = pipeline(status=S.OFFERED)
    low = umk_batang() - 200_000
    start = timezone.localdate() + timedelta(days=7)
    move(application, employer, actor, S.HIRED, start_date=start, salary=low)
    event = application.events.get(to_status=S.HIRED)
    assert (event.start_date, event.salary, event.below_umk) == (start, low, True)
    assert Placement.objects.get().below_umk

    client.force_login(application.person)
    html = client.get(
        reverse("placements:job-application-detail", args=[application.pk])
    ).content.decode()
    assert 'data-testid="hired-details"' in html and "di bawah UMK" in html
    client.force_login(actor)
    html = client.get(
        reverse("placements:employer-job-application-detail", args=[application.pk])
    ).content.decode()
    assert 'data-testid="hired-details"' in html and "di bawah UMK" in html


def test_hire_at_the_umk_is_not_flagged():
    application, employer, actor = pipeline(status=S.OFFERED)
    move(
        application,
        employer,
        actor,
        S.HIRED,
        start_date=timezone.localdate() + timedelta(days=7),
        salary=umk_batang(),
    )
    assert application.events.get(to_status=S.HIRED).below_umk is False
