"""Employer pages of interviews: the upcoming ones across its vacancies, and each one as
an .ics file for a calendar. Employers only, each sees only its own."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors
from ..calendar import interview_ics


def _employer(request):
    return selectors.employer_get_for_user(request.user)


def employer_interview_list(request):
    """Employer: the upcoming interviews of all its vacancies, soonest first."""
    employer = _employer(request)
    interviews = selectors.job_application_list_interviews_for_employer(employer=employer)
    return render(
        request,
        "placements/employer_interviews.html",
        {"employer": employer, "interviews": interviews, "active": "interviews"},
    )


def employer_interview_ics(request, pk):
    """Employer: one interview of its own as an .ics calendar file."""
    employer = _employer(request)
    application = selectors.job_application_get_interview_for_employer(pk=pk, employer=employer)
    name = application.person.get_full_name() if application.person else ""
    body = interview_ics(
        uid=f"interview-{application.pk}-{int(application.interview_at.timestamp())}",
        starts_at=application.interview_at,
        summary=_("Interview: %(name)s, %(vacancy)s")
        % {"name": name, "vacancy": application.vacancy.title},
        location=application.interview_place,
        description=_("Applicant for %(vacancy)s at %(employer)s (STC Batang job board).")
        % {"vacancy": application.vacancy.title, "employer": employer.name},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{application.pk}.ics"'
    return response
