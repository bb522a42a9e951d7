"""Job seeker pages: apply, own job applications, job alerts and discoverability."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import User
from core.fragments import CSRF_PLACEHOLDER, fragment_get_or_build, user_owner
from core.ratelimit import ratelimit

from .. import selectors, services
from ..errors import JobApplicationError
from ..forms import JobApplicationForm, JobPreferenceForm
from ..services.vacancies import PUBLIC_CACHE


def _job_seeker(request) -> User:
    if request.user.role != User.Role.JOB_SEEKER:
        raise PermissionDenied(_("This page is for job seekers."))
    return request.user


@never_cache
@ratelimit(group="job-apply", key="user", rate="20/h")
def vacancy_apply(request, pk):
    """Job seeker: the qualification gate, rule by rule, and the cover-note form."""
    vacancy = selectors.vacancy_get_public(pk=pk)
    person = request.user
    gate = selectors.job_application_gate(person=person, vacancy=vacancy)
    if gate.existing is not None:
        messages.info(request, _("You already applied to this vacancy."))
        return redirect(gate.existing.get_absolute_url())
    form = JobApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.job_application_submit(
                    person=person, vacancy=vacancy, cover_note=form.cleaned_data["cover_note"]
                )
            except JobApplicationError as exc:
                if exc.code == JobApplicationError.DUPLICATE and exc.existing is not None:
                    messages.info(request, exc.message)
                    return redirect(exc.existing.get_absolute_url())
                messages.error(request, exc.message)
                gate = selectors.job_application_gate(person=person, vacancy=vacancy)
                status = 403 if exc.code == JobApplicationError.NOT_A_JOB_SEEKER else 400
            else:
                messages.success(
                    request,
                    _("Your application is sent to %(employer)s. Follow it here.")
                    % {"employer": vacancy.employer.name},
                )
                return redirect(application.get_absolute_url())
        else:
            status = 400
    elif not gate.is_job_seeker:
        status = 403
    return render(
        request,
        "placements/vacancy_apply.html",
        {"vacancy": vacancy, "gate": gate, "form": form},
        status=status,
    )


@never_cache
def job_application_list(request):
    """Job seeker: every job application with its status."""
    person = _job_seeker(request)

    def build(fragment) -> str:
        applications = selectors.job_application_list_for_person(person=person)
        return render_to_string(
            "placements/partials/me_job_applications.html",
            {"job_applications": applications, "as_page": True, "csrf_token": CSRF_PLACEHOLDER},
            request,
        )

    # The same list until one of the person's applications or their vacancies changes.
    body = fragment_get_or_build(
        request, "job-applications", user_owner(person.pk), build, depends_on=(PUBLIC_CACHE,)
    )
    return render(request, "placements/job_application_list.html", {"body": body})


@never_cache
def job_application_detail(request, pk):
    """Job seeker: one of their own job applications with its timeline."""
    person = _job_seeker(request)
    application = selectors.job_application_get_for_person(pk=pk, person=person)
    return render(
        request,
        "placements/job_application_detail.html",
        {"application": application, "vacancy": application.vacancy},
    )


@require_POST
def job_application_withdraw(request, pk):
    """Job seeker: withdraw one of their own applications while it is in progress."""
    person = _job_seeker(request)
    application = selectors.job_application_get_for_person(pk=pk, person=person)
    try:
        services.job_application_withdraw(job_application=application, person=person)
    except JobApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(application.get_absolute_url())


@never_cache
def job_preferences(request):
    """Job seeker: weekly vacancy e-mail and being findable by employers (opt-in)."""
    person = _job_seeker(request)
    preference = selectors.job_preference_for(user=person)
    form = JobPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.job_preference_update(
            user=person,
            job_alerts=form.cleaned_data["job_alerts"],
            discoverable=form.cleaned_data["discoverable"],
            share_credentials=form.cleaned_data["share_credentials"],
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("placements:job-preferences")
    return render(
        request,
        "placements/job_preferences.html",
        {"form": form, "title": _("Job alerts")},
        status=400 if request.method == "POST" else 200,
    )
