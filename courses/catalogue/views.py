"""Public pages of the catalogue: home, catalogue, program detail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView

from core.cache import public_page_cache
from courses.catalogue.forms import CatalogueFilterForm
from courses.catalogue.selectors import (
    application_by_cohort_for_user,
    cohort_list_open,
    cohort_list_upcoming,
    program_get_for_viewer,
    program_list_published,
    track_list_with_program_counts,
)
from courses.catalogue.services import CATALOGUE_CACHE

# Anonymous visitors get these pages from the whole-page cache (core.cache); writes to
# catalogue data call `catalogue_public_cache_bump()`, and the cache's short timeout
# bounds how long a registration window that just closed can still look open.
public = [login_not_required, public_page_cache(CATALOGUE_CACHE)]


@method_decorator(public, name="dispatch")
class HomeView(TemplateView):
    """Public: the landing page, with the tracks and the cohorts open for registration."""

    template_name = "courses/home.html"
    open_cohorts_shown = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        open_cohorts = cohort_list_open(now=timezone.now())
        context["tracks"] = track_list_with_program_counts()
        context["open_cohorts"] = open_cohorts[: self.open_cohorts_shown]
        context["open_cohorts_total"] = open_cohorts.count()
        return context


@method_decorator(
    [
        login_not_required,
        public_page_cache(CATALOGUE_CACHE, params=(*CatalogueFilterForm.base_fields, "page")),
    ],
    name="dispatch",
)
class ProgramListView(ListView):
    """Public: the catalogue of published programs, with filters, search and pages.

    Invalid filter input (an unknown track, a too-long search) is shown next to the
    field with status 400; the valid filters still apply.
    """

    template_name = "courses/program_list.html"
    context_object_name = "programs"
    paginate_by = 12

    def get(self, request, *args, **kwargs):
        self.form = CatalogueFilterForm(request.GET if request.GET else None)
        response = super().get(request, *args, **kwargs)
        if self.form.is_bound and not self.form.is_valid():
            response.status_code = 400
        return response

    def get_filters(self) -> dict:
        if not self.form.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data  # only the fields that passed validation

    def get_queryset(self):
        filters = self.get_filters()
        return program_list_published(
            track=filters.get("track"),
            open_now=bool(filters.get("open")),
            education=filters.get("education") or "",
            search=filters.get("q") or "",
            now=timezone.now(),
        )

    def paginate_queryset(self, queryset, page_size):
        # A page number past the end or not a number shows the nearest page, not a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.get_filters()
        context["form"] = self.form
        context["active"] = {
            key: filters.get(key) for key in ("q", "track", "education", "open") if filters.get(key)
        }
        return context


@method_decorator(public, name="dispatch")
class ProgramDetailView(DetailView):
    """Public: one published program with its units, requirements and coming cohorts.

    Staff also see unpublished programs (a preview, clearly marked); anyone else gets 404.
    """

    template_name = "courses/program_detail.html"
    context_object_name = "program"

    def get_object(self, queryset=None):
        return program_get_for_viewer(slug=self.kwargs["slug"], user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = list(cohort_list_upcoming(program=self.object, now=timezone.now()))
        mine = application_by_cohort_for_user(user=self.request.user, cohorts=cohorts)
        for cohort in cohorts:
            cohort.my_application = mine.get(cohort.pk)
        context["cohorts"] = cohorts
        return context
