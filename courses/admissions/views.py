"""Pages of admissions.

Job seekers (login): apply, the dashboard, an application, withdraw, re-register
(daftar ulang), answer a seat offer. Public: the cohort's selection page (seed and
anonymous ranking).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from core.cache import public_page_cache
from core.fragments import (
    CSRF_PLACEHOLDER,
    cohort_subject,
    fragment_get_or_build,
    fragment_get_or_build_with_extra,
    user_owner,
)
from core.ratelimit import ratelimit
from courses.admissions.forms import ApplicationForm, WithdrawForm
from courses.admissions.rules import application_can_withdraw
from courses.admissions.selectors import (
    application_eligibility,
    application_get_for_trainee,
    application_get_for_trainee_and_cohort,
    application_list_for_trainee,
    cohort_get_public_selection,
    cohort_list_eligible_for,
    cohort_selection_ranking,
    seat_offer_get_for_trainee,
    selection_run_list_for_cohort,
)
from courses.admissions.services.applications import application_submit, application_withdraw
from courses.admissions.services.offers import seat_offer_accept, seat_offer_decline
from courses.admissions.services.reregistration import application_confirm
from courses.catalogue.selectors import cohort_get_for_apply
from courses.catalogue.services import CATALOGUE_CACHE
from courses.errors import ApplicationError, OfferError
from courses.training.selectors.progress import applications_attach_progress
from trainees.errors import TraineeError
from trainees.selectors import trainee_completeness
from trainees.services import trainee_ensure


def trainee_or_403(request):
    """The signed-in person's job-seeker profile; 403 for an account that has none."""
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
            # A refusal that cannot be fixed (the age) points to what is open to them.
            "suggestions": cohort_list_eligible_for(trainee=trainee, exclude=cohort)
            if eligibility.unfixable
            else None,
        }

    def _existing(self, request, trainee, cohort):
        existing = application_get_for_trainee_and_cohort(trainee=trainee, cohort=cohort)
        if existing is not None:
            messages.info(request, _("You have already applied for this cohort."))
            return redirect(existing.get_absolute_url())
        return None

    def get(self, request, slug, code):
        trainee = trainee_or_403(request)
        cohort = cohort_get_for_apply(program_slug=slug, code=code)
        if (response := self._existing(request, trainee, cohort)) is not None:
            return response
        eligibility = application_eligibility(trainee=trainee, cohort=cohort)
        context = self._context(
            trainee=trainee, cohort=cohort, eligibility=eligibility, form=ApplicationForm()
        )
        return render(request, self.template_name, context)

    def post(self, request, slug, code):
        trainee = trainee_or_403(request)
        cohort = cohort_get_for_apply(program_slug=slug, code=code)
        form = ApplicationForm(request.POST)
        eligibility = None
        if form.is_valid():
            try:
                application = application_submit(
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
            eligibility = application_eligibility(trainee=trainee, cohort=cohort)
        context = self._context(trainee=trainee, cohort=cohort, eligibility=eligibility, form=form)
        return render(request, self.template_name, context, status=400)


class DashboardView(View):
    """Job seeker: every application with its timeline; staff go to the admin."""

    def get(self, request):
        if request.user.is_staff:
            return redirect("admin:index")
        if not request.user.is_job_seeker:
            trainee_or_403(request)  # the translated 403

        def build(fragment) -> str:
            # The profile row only when the body is built: a cached answer needs none.
            trainee = trainee_or_403(request)
            applications = application_list_for_trainee(trainee=trainee)
            # Others change an intake's reserve list and training days: its own version.
            fragment.depend_on(*(cohort_subject(a.cohort_id) for a in applications))
            applications_attach_progress(applications)
            today = timezone.localdate()
            for application in applications:
                application.can_withdraw = application_can_withdraw(application, today=today)
            context = {
                "trainee": trainee,
                "applications": applications,
                "completeness": trainee_completeness(trainee=trainee),
                "csrf_token": CSRF_PLACEHOLDER,
            }
            return render_to_string("courses/_dashboard_body.html", context, request=request)

        # The body is the same until the person's data changes (core.fragments).
        body = fragment_get_or_build(
            request,
            "dashboard",
            user_owner(request.user.pk),
            build,
            depends_on=(CATALOGUE_CACHE,),
        )
        return render(request, "courses/dashboard.html", {"body": body})


class ApplicationDetailView(View):
    """Job seeker: one of their own applications with its timeline."""

    def get(self, request, pk):
        if not request.user.is_job_seeker:
            trainee_or_403(request)  # the translated 403

        def build(fragment) -> str:
            # Every query here: a current body needs none. Anyone else's application is a
            # 404 raised while building, so no body is ever stored for it under this owner.
            trainee = trainee_or_403(request)
            application = application_get_for_trainee(pk=pk, trainee=trainee)
            fragment.depend_on(cohort_subject(application.cohort_id))
            fragment.extra["title"] = application.cohort.program.title
            application.can_withdraw = application_can_withdraw(application)
            applications_attach_progress([application])
            context = {"application": application, "csrf_token": CSRF_PLACEHOLDER}
            return render_to_string("courses/_application_detail_body.html", context, request)

        # Like the dashboard's card: the same until the person's or the intake's data changes
        # (a deleted application bumps its intake, so its body is built again: a 404).
        body, extra = fragment_get_or_build_with_extra(
            request,
            "application",
            user_owner(request.user.pk),
            build,
            depends_on=(CATALOGUE_CACHE,),
            variant=str(pk),
        )
        context = {"title": extra["title"], "body": body}
        return render(request, "courses/application_detail.html", context)


def _act_then_back(request, application, act, done_message):
    """Run `act()`, a service on the person's own application; say how it went and go back
    to the application's page."""
    try:
        act()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message)
    return redirect(application.get_absolute_url())


class ApplicationWithdrawView(View):
    """Job seeker: confirm, then withdraw one of their own applications."""

    template_name = "courses/application_withdraw.html"

    def get(self, request, pk):
        trainee = trainee_or_403(request)
        application = application_get_for_trainee(pk=pk, trainee=trainee)
        if not application_can_withdraw(application):
            messages.info(request, _("This application can no longer be withdrawn."))
            return redirect(application.get_absolute_url())
        form = WithdrawForm()
        return render(request, self.template_name, {"application": application, "form": form})

    def post(self, request, pk):
        trainee = trainee_or_403(request)
        application = application_get_for_trainee(pk=pk, trainee=trainee)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            context = {"application": application, "form": form}
            return render(request, self.template_name, context, status=400)
        reason = form.cleaned_data["reason"]
        return _act_then_back(
            request,
            application,
            lambda: application_withdraw(
                application=application, actor=request.user, reason=reason
            ),
            _("Your application is withdrawn."),
        )


class ApplicationConfirmView(View):
    """Job seeker: re-register (daftar ulang) for an accepted seat. POST only."""

    http_method_names = ["post"]

    def post(self, request, pk):
        trainee = trainee_or_403(request)
        application = application_get_for_trainee(pk=pk, trainee=trainee)
        return _act_then_back(
            request,
            application,
            lambda: application_confirm(application=application, actor=request.user),
            _("You are re-registered: your seat is confirmed."),
        )


class OfferDetailView(View):
    """Job seeker: a seat offered from the reserve list, with accept and decline.

    Declining asks once more (it takes the person off the reserve list for good).
    """

    template_name = "courses/offer_detail.html"

    def _context(self, offer, **extra):
        now = timezone.now()
        return {
            "offer": offer,
            "application": offer.application,
            "cohort": offer.application.cohort,
            "is_open": offer.is_open_at(now),
            **extra,
        }

    def get(self, request, pk):
        offer = seat_offer_get_for_trainee(pk=pk, trainee=trainee_or_403(request))
        return render(request, self.template_name, self._context(offer))

    def post(self, request, pk):
        offer = seat_offer_get_for_trainee(pk=pk, trainee=trainee_or_403(request))
        action = request.POST.get("action")
        if action == "decline" and request.POST.get("confirm") != "1":
            return render(request, self.template_name, self._context(offer, confirm_decline=True))
        try:
            if action == "accept":
                seat_offer_accept(offer=offer, actor=request.user)
                messages.success(
                    request, _("The seat is yours: you are re-registered for the training.")
                )
            elif action == "decline":
                seat_offer_decline(offer=offer, actor=request.user)
                messages.info(request, _("You declined the seat; it goes to the next person."))
            else:
                return render(
                    request,
                    self.template_name,
                    self._context(offer, error=_("Choose accept or decline.")),
                    status=400,
                )
        except (OfferError, ApplicationError) as exc:
            # Not open any more, expired, or (capacity lowered) no seat left for it.
            messages.error(request, exc.message)
            return redirect(offer.get_absolute_url())
        return redirect(offer.application.get_absolute_url())


@method_decorator([login_not_required, public_page_cache(CATALOGUE_CACHE)], name="dispatch")
class CohortSelectionView(View):
    """Public: a cohort's tie-break seed, the rules and the ranking by application number.

    No names: each applicant finds their own line by the number on their dashboard, and
    anyone can recompute the draws from the seed.
    """

    def get(self, request, code):
        cohort = cohort_get_public_selection(code=code)
        ranking = cohort_selection_ranking(cohort=cohort)
        context = {
            "cohort": cohort,
            "program": cohort.program,
            "runs": selection_run_list_for_cohort(cohort=cohort),
            "ranking": ranking,
            "program_url": reverse("courses:program-detail", kwargs={"slug": cohort.program.slug}),
        }
        return render(request, "courses/cohort_selection.html", context)


@method_decorator([login_not_required, public_page_cache(CATALOGUE_CACHE)], name="dispatch")
class CohortDrawView(View):
    """Public: how to check the tie-break draw of a cohort (the seed and the hash), kept
    apart from the ranking so the ranking reads in plain words."""

    def get(self, request, code):
        cohort = cohort_get_public_selection(code=code)
        return render(request, "courses/cohort_draw.html", {"cohort": cohort})
