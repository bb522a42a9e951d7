"""Digest e-mails: new applicants for employers (daily), matching vacancies (weekly).

Both are periodic and idempotent: the outbox key names the recipient and the period, so
a second run in the same period writes nothing new, and sending an already-sent row is a
no-op in the notifications app. Digests go to the bulk queue.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_bulk_send, notification_queue

from .. import selectors
from ..models import EmployerMember, JobApplication, JobSeekerPreference, Vacancy

Kind = Notification.Kind
# A weekly digest lists at most this many vacancies (newest first).
DIGEST_MAX_VACANCIES = 15


def _day_window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + timedelta(days=1)


def employer_applicants_digest_send(*, today: datetime.date | None = None) -> int:
    """Tell each employer account how many people applied yesterday, per vacancy."""
    today = today or timezone.localdate()
    day = today - timedelta(days=1)
    start, end = _day_window(day)
    rows = (
        JobApplication.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("vacancy_id", "vacancy__title", "vacancy__employer_id", "vacancy__employer__name")
        .annotate(n=Count("pk"))
        .order_by("vacancy__employer_id", "vacancy_id")
    )
    per_employer: dict[int, dict] = {}
    for row in rows:
        entry = per_employer.setdefault(
            row["vacancy__employer_id"], {"name": row["vacancy__employer__name"], "vacancies": []}
        )
        entry["vacancies"].append(
            {
                "title": row["vacancy__title"],
                "count": row["n"],
                "url": reverse(
                    "placements:employer-vacancy-detail", kwargs={"pk": row["vacancy_id"]}
                ),
            }
        )
    if not per_employer:
        return 0
    members = EmployerMember.objects.filter(
        employer_id__in=list(per_employer), user__is_active=True
    ).select_related("user")
    ids = []
    with transaction.atomic(durable=True):
        for member in members:
            entry = per_employer[member.employer_id]
            notification = notification_queue(
                kind=Kind.EMPLOYER_APPLICANTS_DIGEST,
                recipient=member.user,
                dedup_key=(
                    f"employer.applicants_digest:{member.employer_id}:{member.user_id}:{day}"
                ),
                context={
                    "employer": entry["name"],
                    "vacancies": entry["vacancies"],
                    "url": reverse("placements:employer-dashboard"),
                },
                bulk=True,
            )
            ids.append(notification.pk)
        notification_bulk_send(notification_ids=ids)
    return len(ids)


def graduate_vacancy_digest_send(*, now: datetime.datetime | None = None) -> int:
    """Send graduates who opted in the vacancies of their tracks published this week."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    vacancies = list(
        Vacancy.objects.filter(
            selectors.vacancy_open_q(today=today), published_at__gte=now - timedelta(days=7)
        )
        .select_related("employer")
        .prefetch_related("tracks")
        .order_by("-published_at", "-pk")
    )
    by_track: dict[int, list[Vacancy]] = {}
    for vacancy in vacancies:
        for track in vacancy.tracks.all():
            by_track.setdefault(track.pk, []).append(vacancy)
    graduates = selectors.graduates_by_track(track_ids=list(by_track))
    if not graduates:
        return 0
    preferences = JobSeekerPreference.objects.filter(
        job_alerts=True, user_id__in=list(graduates), user__is_active=True
    ).select_related("user")
    year, week, _weekday = today.isocalendar()
    ids = []
    with transaction.atomic(durable=True):
        for preference in preferences:
            mine = {v.pk: v for t in graduates[preference.user_id] for v in by_track.get(t, [])}
            chosen = sorted(mine.values(), key=lambda v: (v.published_at, v.pk), reverse=True)
            if not chosen:
                continue
            notification = notification_queue(
                kind=Kind.GRADUATE_VACANCY_DIGEST,
                recipient=preference.user,
                dedup_key=f"graduate.vacancy_digest:{preference.user_id}:{year}-W{week:02d}",
                context={
                    "vacancies": [
                        {
                            "title": v.title,
                            "employer": v.employer.name,
                            "url": v.get_absolute_url(),
                            "location": v.work_location,
                            "closes_on": v.deadline,
                        }
                        for v in chosen[:DIGEST_MAX_VACANCIES]
                    ],
                    "url": reverse("placements:vacancy-list"),
                },
                bulk=True,
            )
            ids.append(notification.pk)
        notification_bulk_send(notification_ids=ids)
    return len(ids)
