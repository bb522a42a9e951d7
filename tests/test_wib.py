"""Every moment a person reads says its time zone: "2 Desember 2026, 14.00 WIB".

Two checks. The templates and the code are scanned for a date-and-time format that is
not followed by "WIB" (the `wib` filter and `core.formatting.format_moment` add it), and
the pages and messages that show deadlines, interviews and histories are rendered and
read for a date and time without it.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "accounts", "trainees", "courses", "placements", "welfare", "reports"]

# A date-and-time (or time) format in a template: the named formats, or a literal one
# with hours or minutes ("H:i", "G.i").
TEMPLATE_MOMENT = re.compile(
    r"""\|\s*(?:date\s*:\s*["'](?:DATETIME_FORMAT|SHORT_DATETIME_FORMAT|TIME_FORMAT|[^"']*[HGi][^"']*)["']|time\b)"""
)
# Machine-readable values are not read by people: <time datetime="…">, .ics files.
MACHINE = re.compile(r"""datetime=["']\{\{[^}]*$""")

# Python code that formats a moment itself instead of through core.formatting.
CODE_MOMENT = re.compile(
    r"""date_format\([^)]*["'](?:SHORT_)?DATETIME_FORMAT["']|strftime\(["'][^"']*%[HM]"""
)
# Where a moment is formatted on purpose without the zone label (or with it by hand).
CODE_ALLOWED = {
    "core/formatting.py",  # the one formatter
    "notifications/rendering.py",  # WhatsApp/SMS parameters, " WIB" added there
    "notifications/templatetags/notification_tags.py",  # the e-mails' deadline filter
    "notifications/providers.py",  # a file name of the file backend
    "placements/calendar.py",  # .ics: UTC by the standard
    "reports/selectors/workqueue.py",  # adds " WIB" itself
}


def _templates():
    for root in [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]:
        yield from (p for p in root.rglob("*") if p.suffix in (".html", ".txt"))
    yield from (ROOT / "notifications" / "templates").rglob("*.*")


def test_every_template_moment_says_wib():
    problems = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            moments = [
                m for m in TEMPLATE_MOMENT.finditer(line) if not MACHINE.search(line[: m.start()])
            ]
            ends = [m.start() for m in moments[1:]] + [len(line)] if moments else []
            for moment, end in zip(moments, ends, strict=True):
                after = line[moment.end() : end]
                # "WIB" before the next moment, or the first moment of a range ("… – … WIB").
                if "WIB" not in after and "–" not in after:
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not problems, "A moment without WIB (use |wib):\n" + "\n".join(problems)


def test_code_formats_moments_through_format_moment():
    problems = []
    for app in [*APPS, "notifications"]:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative or relative in CODE_ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if CODE_MOMENT.search(line) and "WIB" not in line:
                    problems.append(f"{relative}:{number}: {line.strip()}")
    assert not problems, "Format moments with core.formatting.format_moment:\n" + "\n".join(
        problems
    )


def test_format_moment_in_both_languages():
    from django.utils import translation

    from core.formatting import format_moment

    moment = datetime.datetime(2026, 12, 2, 7, 0, tzinfo=datetime.UTC)  # 14.00 in Batang
    with translation.override("id"):
        assert format_moment(moment) == "2 Desember 2026, 14.00 WIB"
        assert format_moment(moment, short=True) == "02/12/2026 14.00 WIB"
    with translation.override("en"):
        assert format_moment(moment) == "2 December 2026, 14:00 WIB"
    assert format_moment(None) == ""
    assert format_moment(datetime.date(2026, 12, 2)).endswith("2026")


# A moment as the formats of batang_portal/formats write it, in either language.
RENDERED_MOMENT = re.compile(
    r"\b\d{1,2} [A-Z][a-z]+ \d{4},? \d{1,2}[.:]\d{2}|\b\d{2}/\d{2}/\d{4},? \d{1,2}[.:]\d{2}"
)


def _moments_without_wib(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)  # attributes (datetime="…") are not read
    text = re.sub(r"\s+", " ", text)
    return [
        text[m.start() : m.end() + 8]
        for m in RENDERED_MOMENT.finditer(text)
        if not text[m.end() :].lstrip().startswith("WIB")
    ]


@pytest.fixture
def interview_world(db):
    """A job seeker invited to an interview by an employer, through the real door."""
    from placements.services import job_application_move
    from placements.tests.factories import (
        EmployerFactory,
        JobApplicationFactory,
        VacancyFactory,
        employer_account,
        job_seeker,
    )

    employer = EmployerFactory(name="PT Kaca Nusantara")
    boss = employer_account(employer)
    person = job_seeker()
    vacancy = VacancyFactory(employer=employer)
    application = JobApplicationFactory(vacancy=vacancy, person=person)
    when = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    job_application_move(
        job_application=application,
        employer=employer,
        actor=boss,
        to="interview",
        interview_at=when,
        interview_place="Kantor HRD, KITB Blok C",
    )
    return {"person": person, "boss": boss, "application": application, "vacancy": vacancy}


def test_pages_with_interviews_and_histories_say_wib(client, interview_world):
    application = interview_world["application"]
    pages = {
        interview_world["person"]: [
            reverse("placements:job-application-detail", args=[application.pk]),
        ],
        interview_world["boss"]: [
            reverse("placements:employer-interview-list"),
            reverse("placements:employer-job-application-detail", args=[application.pk]),
            reverse("placements:employer-vacancy-detail", args=[interview_world["vacancy"].pk]),
        ],
    }
    for language in ("id", "en"):
        client.cookies["django_language"] = language
        for user, urls in pages.items():
            client.force_login(user)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                body = response.content.decode()
                assert "WIB" in body, url
                assert not _moments_without_wib(body), (url, _moments_without_wib(body))


@pytest.mark.django_db
def test_a_course_application_history_says_wib(client):
    from courses.tests.factories import ApplicationFactory

    application = ApplicationFactory()
    client.force_login(application.trainee.user)
    for url in (
        reverse("courses:application-detail", args=[application.pk]),
        reverse("courses:dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert RENDERED_MOMENT.search(re.sub(r"<[^>]+>", " ", body)), url
        assert not _moments_without_wib(body), (url, _moments_without_wib(body))


def test_the_interview_message_says_wib(interview_world):
    from notifications.models import Notification
    from notifications.rendering import notification_message_build

    note = Notification.objects.filter(kind="job_application.status_changed").latest("pk")
    note.channel = "email"
    message = notification_message_build(notification=note)
    for text in (message.body, message.alternatives[0][0]):
        assert RENDERED_MOMENT.search(re.sub(r"<[^>]+>", " ", text)), text
        assert not _moments_without_wib(text)
