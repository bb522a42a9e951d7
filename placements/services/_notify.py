"""The e-mails the placements app sends, all through the notifications outbox.

Each helper is called inside the business transaction: the outbox row commits with the
event and the mail leaves after commit (`notifications.services.notification_queue`).
Links are paths; the mail templates make them absolute.
"""

from __future__ import annotations

from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_queue

from ..models import Employer, JobApplication, JobApplicationEvent, Vacancy

Kind = Notification.Kind


def _tell_members(employer: Employer, *, kind: str, key: str, context: dict) -> None:
    """One mail to each active account acting for the employer (`key` names the event)."""
    for member in employer.members.select_related("user"):
        if member.user.is_active:
            notification_queue(
                kind=kind,
                recipient=member.user,
                dedup_key=f"{key}:{member.user.pk}",
                context=context,
            )


def notify_employer_verified(*, employer: Employer) -> None:
    _tell_members(
        employer,
        kind=Kind.EMPLOYER_VERIFIED,
        key=f"employer.verified:{employer.pk}",
        context={"employer": employer.name, "url": reverse("placements:employer-dashboard")},
    )


def _tell_vacancy_members(vacancy: Vacancy, *, kind: str, key: str, url: str, **extra) -> None:
    """One mail to each account of the vacancy's employer about it (vacancy, employer, link)."""
    _tell_members(
        vacancy.employer,
        kind=kind,
        key=key,
        context={
            "vacancy": vacancy.title,
            "employer": vacancy.employer.name,
            "url": url,
            **extra,
        },
    )


def notify_vacancy_published(*, vacancy: Vacancy) -> None:
    _tell_vacancy_members(
        vacancy,
        kind=Kind.VACANCY_PUBLISHED,
        key=f"vacancy.published:{vacancy.pk}",
        url=vacancy.get_absolute_url(),
    )


def notify_vacancy_rejected(*, vacancy: Vacancy, event_id: int) -> None:
    _tell_vacancy_members(
        vacancy,
        kind=Kind.VACANCY_REJECTED,
        key=f"vacancy.rejected:{event_id}",
        url=reverse("placements:employer-vacancy-detail", kwargs={"pk": vacancy.pk}),
        reason=vacancy.rejection_reason,
    )


def _tell_applicant(job_application: JobApplication, *, kind: str, key: str, **extra) -> None:
    """One mail to the job seeker about their application (vacancy, employer, link)."""
    vacancy = job_application.vacancy
    notification_queue(
        kind=kind,
        recipient=job_application.person,
        dedup_key=key,
        context={
            "vacancy": vacancy.title,
            "employer": vacancy.employer.name,
            "url": job_application.get_absolute_url(),
            **extra,
        },
    )


def notify_job_application_status(
    *, job_application: JobApplication, event: JobApplicationEvent
) -> None:
    """Tell the job seeker their application moved (interview details, reason included)."""
    extra = {"status": JobApplication.Status(job_application.status).label}
    if event.reason:
        extra["note"] = event.reason
    if job_application.status == JobApplication.Status.INTERVIEW:
        extra["interview_at"] = job_application.interview_at
        extra["interview_place"] = job_application.interview_place
    if job_application.status == JobApplication.Status.NOT_SELECTED:
        extra["reason"] = job_application.reason_text
    _tell_applicant(
        job_application,
        kind=Kind.JOB_APPLICATION_STATUS_CHANGED,
        key=f"job_application.status:{event.pk}",
        **extra,
    )


def notify_job_application_vacancy_closed(
    *, job_application: JobApplication, continues: bool
) -> None:
    """Tell an applicant still in progress that the vacancy closed (and what it means)."""
    _tell_applicant(
        job_application,
        kind=Kind.JOB_APPLICATION_VACANCY_CLOSED,
        key=f"job_application.vacancy_closed:{job_application.pk}",
        continues=continues,
    )


def notify_job_application_no_response(*, job_application: JobApplication, days: int) -> None:
    """The polite no-ghosting message: nothing moved for `days` days."""
    since = job_application.status_changed_at
    _tell_applicant(
        job_application,
        kind=Kind.JOB_APPLICATION_NO_RESPONSE,
        key=f"job_application.no_response:{job_application.pk}:{since.timestamp():.0f}",
        status=JobApplication.Status(job_application.status).label,
        days=days,
    )
