"""The staff work queue ("Hari ini"): what waits for someone today, and where to do it.

It reads every app (reports is the one app that may), one query per section whatever
the size of the data, and shows a section only to staff whose permissions let them act
on it (training staff see admissions, placement officers moderation, both the outbox).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.admissions import selectors as admissions
from courses.models import ApplicationStatus
from notifications.selectors import (
    notification_undelivered_summary,
    notification_undelivered_urgent,
)
from placements import selectors as placements

# How far ahead the queue looks.
OFFERS_LAPSING_WITHIN = datetime.timedelta(hours=24)
REREGISTRATION_WITHIN = datetime.timedelta(days=3)
STARTING_WITHIN_DAYS = 7
UNDELIVERED_SINCE = datetime.timedelta(days=14)


@dataclass
class Line:
    """One thing to do: what, how many, and the page where it is done."""

    text: str
    url: str
    count: int | None = None
    detail: str = ""
    urgent: bool = False


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)

    def add(
        self, *, text: str, url: str, count: int | None = None, detail: str = "", urgent=False
    ) -> None:
        """Add one thing to do to the section."""
        self.lines.append(Line(text=text, url=url, count=count, detail=detail, urgent=urgent))

    @property
    def total(self) -> int:
        return sum(line.count or 0 for line in self.lines)


@dataclass
class WorkQueue:
    sections: list[Section]
    now: datetime.datetime

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)


def _admin(name: str, *args, **query) -> str:
    url = reverse(f"admin:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") + " WIB"


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _documents(now) -> Section:
    section = Section("documents", _("Applications waiting for the document check"))
    for row in admissions.application_count_unchecked_by_cohort(now=now):
        section.add(
            text=row["cohort__code"],
            count=row["n"],
            detail=_("oldest since %(when)s") % {"when": _when(row["oldest"])},
            url=_admin(
                "courses_application_changelist",
                cohort__id__exact=row["cohort_id"],
                status__exact=ApplicationStatus.SUBMITTED,
            ),
        )
    return section


def _selection(now) -> Section:
    section = Section("selection", _("Registration closed: selection to run"))
    for cohort in admissions.cohort_list_awaiting_selection(now=now):
        detail = _("registration closed %(when)s; training starts %(day)s") % {
            "when": _when(cohort.registration_closes_at),
            "day": _day(cohort.training_start),
        }
        if cohort.unchecked_count:
            detail += "; " + ngettext(
                "%(n)d applicant not checked yet",
                "%(n)d applicants not checked yet",
                cohort.unchecked_count,
            ) % {"n": cohort.unchecked_count}
        section.add(
            text=cohort.code,
            count=cohort.verified_count,
            detail=detail,
            url=_admin("courses_cohort_selection", cohort.pk),
        )
    return section


def _offers(now) -> Section:
    section = Section("offers", _("Seat offers about to lapse (24 hours)"))
    for offer in admissions.seat_offer_list_lapsing(now=now, within=OFFERS_LAPSING_WITHIN):
        user = offer.application.trainee.user
        section.add(
            text=f"{offer.cohort.code}: {user.get_full_name()}",
            detail=_("lapses %(when)s") % {"when": _when(offer.expires_at)},
            url=_admin("courses_application_change", offer.application_id),
            urgent=offer.expires_at - now <= datetime.timedelta(hours=6),
        )
    return section


def _reregistration(now) -> Section:
    section = Section("reregistration", _("Daftar ulang deadlines in the next three days"))
    for cohort in admissions.cohort_list_reregistration_due(now=now, within=REREGISTRATION_WITHIN):
        section.add(
            text=cohort.code,
            count=cohort.unconfirmed_count,
            detail=_("deadline %(when)s; accepted, not re-registered yet")
            % {"when": _when(cohort.reregistration_deadline)},
            url=_admin(
                "courses_application_changelist",
                cohort__id__exact=cohort.pk,
                status__exact=ApplicationStatus.ACCEPTED,
            ),
        )
    return section


def _starting(now) -> Section:
    section = Section("starting", _("Intakes starting this week"))
    for cohort in admissions.cohort_list_starting_soon(now=now, days=STARTING_WITHIN_DAYS):
        lacks = []
        if cohort.seats_left:
            lacks.append(
                ngettext("%(n)d seat empty", "%(n)d seats empty", cohort.seats_left)
                % {"n": cohort.seats_left}
            )
        if cohort.unconfirmed_count:
            lacks.append(
                ngettext(
                    "%(n)d accepted, not re-registered",
                    "%(n)d accepted, not re-registered",
                    cohort.unconfirmed_count,
                )
                % {"n": cohort.unconfirmed_count}
            )
        if not cohort.training_days_count:
            lacks.append(_("no training days scheduled"))
        if not cohort.schedule:
            lacks.append(_("no schedule given"))
        detail = _("starts %(day)s") % {"day": _day(cohort.training_start)}
        detail += ": " + ("; ".join(lacks) if lacks else _("ready"))
        section.add(
            text=cohort.code,
            count=len(lacks),
            detail=detail,
            url=_admin("courses_cohort_change", cohort.pk),
            urgent=bool(lacks),
        )
    return section


def _moderation() -> Section:
    section = Section("moderation", _("Waiting for moderation"))
    vacancies = placements.vacancy_moderation_summary()
    if vacancies["n"]:
        detail = _("oldest since %(when)s") % {"when": _when(vacancies["oldest"])}
        if vacancies["below_umk"]:
            detail += "; " + ngettext(
                "%(n)d below the UMK", "%(n)d below the UMK", vacancies["below_umk"]
            ) % {"n": vacancies["below_umk"]}
        section.add(
            text=_("Vacancies"),
            count=vacancies["n"],
            detail=detail,
            url=_admin("placements_vacancy_changelist", status__exact="submitted"),
        )
    employers = placements.employer_verification_summary()
    if employers["n"]:
        section.add(
            text=_("Employers not verified"),
            count=employers["n"],
            detail=_("oldest since %(when)s") % {"when": _when(employers["oldest"])},
            url=_admin("placements_employer_changelist", verified="no"),
        )
    return section


def _outbox(now) -> Section:
    section = Section("outbox", _("Messages not delivered (last 14 days)"))
    # The day's count of time-critical messages (seat offers, daftar ulang reminders,
    # password resets) that reached nobody on any channel: someone should call.
    urgent = notification_undelivered_urgent(now=now).count()
    if urgent:
        section.add(
            text=_("Time-critical messages not delivered (last 24 hours)"),
            count=urgent,
            detail=_("send again on another channel, or call the person"),
            url=_admin("notifications_notification_changelist", delivery="urgent_undelivered"),
            urgent=True,
        )
    summary = notification_undelivered_summary(since=now - UNDELIVERED_SINCE)
    if summary["failed"]:
        detail = ""
        if summary["unknown"]:
            detail = ngettext(
                "%(n)d may have arrived (delivery unknown): check before sending again",
                "%(n)d may have arrived (delivery unknown): check before sending again",
                summary["unknown"],
            ) % {"n": summary["unknown"]}
        section.add(
            text=_("Failed messages"),
            count=summary["failed"],
            detail=detail,
            url=_admin("notifications_notification_changelist", state__exact="failed"),
            urgent=True,
        )
    return section


def work_queue_build(*, user, now: datetime.datetime | None = None) -> WorkQueue:
    """The sections `user` may act on, each read in one or two queries."""
    now = now or timezone.now()
    sections = []
    if user.has_perm("courses.change_application"):
        sections += [
            _documents(now),
            _selection(now),
            _offers(now),
            _reregistration(now),
        ]
    if user.has_perm("courses.change_cohort"):
        sections.append(_starting(now))
    if user.has_perm("placements.change_vacancy") or user.has_perm("placements.change_employer"):
        sections.append(_moderation())
    if user.has_perm("notifications.view_notification"):
        sections.append(_outbox(now))
    return WorkQueue(sections=sections, now=now)
