"""Public pages of the courses app: home, catalogue, program detail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from core.cache import public_page_cache
from core.ratelimit import ratelimit

from . import selectors, services
from .errors import ApplicationError
from .forms import ApplicationForm, CatalogueFilterForm, WithdrawForm
from .selectors import (
    cohort_list_open,
    cohort_list_upcoming,
    program_get_for_viewer,
    program_list_published,
    track_list_with_program_counts,
)
from .services import CATALOGUE_CACHE
from .training_selectors import applications_attach_progress

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
        context["cohorts"] = cohort_list_upcoming(program=self.object, now=timezone.now())
        return context


# --------------------------------------------------------------------- applications


def _trainee_or_403(request):
    from trainees.errors import TraineeError
    from trainees.services import trainee_ensure

    try:
        return trainee_ensure(user=request.user)
    except TraineeError as exc:
        raise PermissionDenied(exc.message) from exc


@method_decorator(ratelimit(group="apply", key="user", rate="20/h"), name="dispatch")
class CohortApplyView(View):
    """Job seeker: the rules for a cohort, each with its verdict, and the application form."""

    template_name = "courses/apply.html"

    def _context(self, *, trainee, cohort, eligibility, form):
        return {
            "cohort": cohort,
            "program": cohort.program,
            "eligibility": eligibility,
            "form": form,
            "trainee": trainee,
        }

    def _existing(self, request, trainee, cohort):
        existing = selectors.application_get_for_trainee_and_cohort(trainee=trainee, cohort=cohort)
        if existing is not None:
            messages.info(request, _("You have already applied for this cohort."))
            return redirect(existing.get_absolute_url())
        return None

    def get(self, request, slug, code):
        trainee = _trainee_or_403(request)
        cohort = selectors.cohort_get_for_apply(program_slug=slug, code=code)
        if (response := self._existing(request, trainee, cohort)) is not None:
            return response
        eligibility = selectors.application_eligibility(trainee=trainee, cohort=cohort)
        context = self._context(
            trainee=trainee, cohort=cohort, eligibility=eligibility, form=ApplicationForm()
        )
        return render(request, self.template_name, context)

    def post(self, request, slug, code):
        trainee = _trainee_or_403(request)
        cohort = selectors.cohort_get_for_apply(program_slug=slug, code=code)
        form = ApplicationForm(request.POST)
        eligibility = None
        if form.is_valid():
            try:
                application = services.application_submit(
                    trainee=trainee, cohort=cohort, motivation=form.cleaned_data["motivation"]
                )
            except ApplicationError as exc:
                if exc.code == ApplicationError.ALREADY_APPLIED:
                    messages.info(request, exc.message)
                    return redirect(exc.application.get_absolute_url())
                eligibility = exc.eligibility
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Your application for %(program)s (%(cohort)s) is received.")
                    % {"program": cohort.program.title, "cohort": cohort.code},
                )
                return redirect(application.get_absolute_url())
        if eligibility is None:
            eligibility = selectors.application_eligibility(trainee=trainee, cohort=cohort)
        context = self._context(trainee=trainee, cohort=cohort, eligibility=eligibility, form=form)
        return render(request, self.template_name, context, status=400)


class DashboardView(View):
    """Job seeker: every application with its timeline; staff go to the admin."""

    def get(self, request):
        if request.user.is_staff:
            return redirect("admin:index")
        trainee = _trainee_or_403(request)
        from trainees.selectors import trainee_completeness

        applications = selectors.application_list_for_trainee(trainee=trainee)
        applications_attach_progress(applications)
        today = timezone.localdate()
        for application in applications:
            application.can_withdraw = services.application_can_withdraw(application, today=today)
        context = {
            "trainee": trainee,
            "applications": applications,
            "completeness": trainee_completeness(trainee=trainee),
        }
        return render(request, "courses/dashboard.html", context)


class ApplicationDetailView(View):
    """Job seeker: one of their own applications with its timeline."""

    def get(self, request, pk):
        trainee = _trainee_or_403(request)
        application = selectors.application_get_for_trainee(pk=pk, trainee=trainee)
        application.can_withdraw = services.application_can_withdraw(application)
        applications_attach_progress([application])
        return render(request, "courses/application_detail.html", {"application": application})


class ApplicationWithdrawView(View):
    """Job seeker: confirm, then withdraw one of their own applications."""

    template_name = "courses/application_withdraw.html"

    def get(self, request, pk):
        trainee = _trainee_or_403(request)
        application = selectors.application_get_for_trainee(pk=pk, trainee=trainee)
        if not services.application_can_withdraw(application):
            messages.info(request, _("This application can no longer be withdrawn."))
            return redirect(application.get_absolute_url())
        form = WithdrawForm()
        return render(request, self.template_name, {"application": application, "form": form})

    def post(self, request, pk):
        trainee = _trainee_or_403(request)
        application = selectors.application_get_for_trainee(pk=pk, trainee=trainee)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            context = {"application": application, "form": form}
            return render(request, self.template_name, context, status=400)
        try:
            services.application_withdraw(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect(application.get_absolute_url())
