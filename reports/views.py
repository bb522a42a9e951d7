"""Pages of the reports app: the public figures (`/stats/`) and the tracer's answer page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.cache import public_page_cache
from core.ratelimit import ratelimit

from .errors import TracerError
from .forms import TracerAnswerForm
from .selectors import Dashboard, dashboard_get
from .selectors.tracer import tracer_survey_get_for_token
from .services import tracer_answer_record
from .suppression import HIDDEN_TEXT

STATS_CACHE = "stats"
# The charts show these figures (every figure is in the tables under them).
CHART_FIGURES = {
    "months": ("applicants", "trainees", "graduates", "certified", "placed"),
    "tracks": ("graduates", "placed"),
    "areas": ("graduates", "placed"),
}


def _series(dashboard: Dashboard, rows, keys) -> list[dict]:
    figures = {f.key: f for f in dashboard.figure_list}
    return [
        {"key": key, "label": str(figures[key].label), "data": [r.cells[key].value for r in rows]}
        for key in keys
        if key in figures
    ]


def stats_charts(dashboard: Dashboard) -> dict:
    """Chart.js input for the page's charts; a hidden count ("< 5") is a gap (null)."""
    note = _("Groups smaller than 5 people are not drawn (shown as “%(hidden)s” in the table).")
    note = note % {"hidden": HIDDEN_TEXT}
    figure_rows = {
        "months": dashboard.by_month,
        "tracks": dashboard.by_track,
        "areas": dashboard.by_area,
    }
    charts = {
        key: {
            "type": "line" if key == "months" else "bar",
            **({} if key == "months" else {"horizontal": True}),
            "labels": [row.label for row in rows],
            "datasets": _series(dashboard, rows, CHART_FIGURES[key]),
            "note": note,
        }
        for key, rows in figure_rows.items()
    }
    return {
        **charts,
        "vacancies": {
            "type": "bar",
            "horizontal": True,
            "labels": [row.label for row in dashboard.vacancies],
            "datasets": [
                {
                    "key": "openings",
                    "label": _("Openings"),
                    "data": [row.openings for row in dashboard.vacancies],
                },
                {
                    "key": "vacancies",
                    "label": _("Open vacancies"),
                    "data": [row.vacancies for row in dashboard.vacancies],
                },
            ],
            "note": "",
        },
    }


@method_decorator(
    [login_not_required, public_page_cache(STATS_CACHE, timeout=settings.STATS_CACHE_SECONDS)],
    name="dispatch",
)
class StatsView(TemplateView):
    """Public: labour-market figures by track, kecamatan and month, without personal data.

    Every count of people passes the "< 5" rule (`reports.suppression`); the figures are
    cached (`dashboard_get`) and the whole page too for anonymous visitors.
    """

    template_name = "reports/stats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = dashboard_get()
        context["dashboard"] = dashboard
        context["figures"] = dashboard.figure_list
        context["charts"] = stats_charts(dashboard)
        context["hidden_text"] = HIDDEN_TEXT
        return context


@login_not_required
@ratelimit(group="tracer-answer", key="ip", rate="30/h")
def tracer_answer(request, token):
    """Public (the signed token is the key): a graduate answers one round of the tracer.

    The buttons in the e-mail open this page with their answer already chosen; saving
    takes one more click (a POST). Answers are never recorded on GET: mail scanners open
    every link of a message, and would answer "working" and "not yet" both.
    """
    survey = tracer_survey_get_for_token(token=token)
    if request.method == "POST":
        form = TracerAnswerForm(request.POST)
        if form.is_valid():
            try:
                tracer_answer_record(survey=survey, **form.answer())
            except TracerError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you: your answer is saved."))
                return redirect(request.path)
        status = 400
    else:
        form = TracerAnswerForm(
            initial=TracerAnswerForm.initial_for(survey, request.GET.get("answer", ""))
        )
        status = 200
    context = {"survey": survey, "form": form, "cohort": survey.application.cohort}
    return render(request, "reports/tracer_answer.html", context, status=status)


def work_queue(request):
    """The staff work queue ("Hari ini"); staff only (wrapped in `admin.site.admin_view`),
    each section shown to those whose permissions let them do the work."""
    from django.contrib import admin

    from .selectors.workqueue import work_queue_build

    queue = work_queue_build(user=request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Today"),
        "queue": queue,
    }
    return render(request, "admin/reports/work_queue.html", context)
