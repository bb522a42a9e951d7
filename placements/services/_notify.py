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


def _members(employer: Employer):
    return [m.user for m in employer.members.select_related("user") if m.user.is_active]


def notify_employer_verified(*, employer: Employer) -> None:
    for user in _members(employer):
        notification_queue(
            kind=Kind.EMPLOYER_VERIFIED,
            recipient=user,
            dedup_key=f"employer.verified:{employer.pk}:{user.pk}",
            context={"employer": employer.name, "url": reverse("placements:employer-dashboard")},
        )


def notify_vacancy_published(*, vacancy: Vacancy) -> None:
    for user in _members(vacancy.employer):
        notification_queue(
            kind=Kind.VACANCY_PUBLISHED,
            recipient=user,
            dedup_key=f"vacancy.published:{vacancy.pk}:{user.pk}",
            context={
                "vacancy": vacancy.title,
                "employer": vacancy.employer.name,
                "url": vacancy.get_absolute_url(),
            },
        )


def notify_vacancy_rejected(*, vacancy: Vacancy, event_id: int) -> None:
    url = reverse("placements:employer-vacancy-detail", kwargs={"pk": vacancy.pk})
    for user in _members(vacancy.employer):
        notification_queue(
            kind=Kind.VACANCY_REJECTED,
            recipient=user,
            dedup_key=f"vacancy.rejected:{event_id}:{user.pk}",
            context={
                "vacancy": vacancy.title,
                "employer": vacancy.employer.name,
                "reason": vacancy.rejection_reason,
                "url": url,
            },
        )


def notify_job_application_status(
    *, job_application: JobApplication, event: JobApplicationEvent
) -> None:
    """Tell the job seeker their application moved (interview details, reason included)."""
    vacancy = job_application.vacancy
    context = {
        "vacancy": vacancy.title,
        "employer": vacancy.employer.name,
        "status": JobApplication.Status(job_application.status).label,
        "url": job_application.get_absolute_url(),
    }
    if event.reason:
        context["note"] = event.reason
    if job_application.status == JobApplication.Status.INTERVIEW:
        context["interview_at"] = job_application.interview_at
        context["interview_place"] = job_application.interview_place
    if job_application.status == JobApplication.Status.NOT_SELECTED:
        context["reason"] = job_application.reason_text
    notification_queue(
        kind=Kind.JOB_APPLICATION_STATUS_CHANGED,
        recipient=job_application.person,
        dedup_key=f"job_application.status:{event.pk}",
        context=context,
    )


def notify_job_application_vacancy_closed(
    *, job_application: JobApplication, continues: bool
) -> None:
    """Tell an applicant still in progress that the vacancy closed (and what it means)."""
    vacancy = job_application.vacancy
    notification_queue(
        kind=Kind.JOB_APPLICATION_VACANCY_CLOSED,
        recipient=job_application.person,
        dedup_key=f"job_application.vacancy_closed:{job_application.pk}",
        context={
            "vacancy": vacancy.title,
            "employer": vacancy.employer.name,
            "continues": continues,
            "url": job_application.get_absolute_url(),
        },
    )


def notify_job_application_no_response(*, job_application: JobApplication, days: int) -> None:
    """The polite no-ghosting message: nothing moved for `days` days."""
    vacancy = job_application.vacancy
    since = job_application.status_changed_at
    notification_queue(
        kind=Kind.JOB_APPLICATION_NO_RESPONSE,
        recipient=job_application.person,
        dedup_key=f"job_application.no_response:{job_application.pk}:{since.timestamp():.0f}",
        context={
            "vacancy": vacancy.title,
            "employer": vacancy.employer.name,
            "status": JobApplication.Status(job_application.status).label,
            "days": days,
            "url": job_application.get_absolute_url(),
        },
    )
