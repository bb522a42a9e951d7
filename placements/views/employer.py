"""Employer pages: registration, dashboard, company, vacancies, applicants.

Every view below (except registration) starts with `_employer(request)`: a signed-in
account that acts for an employer, else 403. Vacancies and applicants are then fetched
through selectors scoped by that employer, so another employer's ids answer 404.
"""

import functools

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.choices import EducationLevel
from core.forms import form_add_refusal
from core.fragments import (
    CSRF_PLACEHOLDER,
    employer_owner,
    fragment_get_or_build_with_extra,
    user_owner,
)
from core.phone import phone_links
from core.ratelimit import ratelimit
from courses.models import ApplicationStatus
from trainees.regions import Kecamatan, Regency

from .. import selectors, services
from ..errors import EmployerError, JobApplicationError, VacancyError
from ..forms import (
    MOVE_FORMS,
    CompanyForm,
    EmployerRegisterForm,
    VacancyCloseForm,
    VacancyForm,
)
from ..models import JobApplication, umk_batang
from ..services.employers import FROZEN_AFTER_VERIFICATION
from ..services.vacancies import PUBLIC_CACHE

S = JobApplication.Status


def _employer(request):
    return selectors.employer_get_for_user(request.user)


def employer_form_page(request, *, template, employer, form, status=200, **context):
    """An employer's form page (a vacancy, a demand statement, a pledge): the company, the
    form, and the UMK its wage fields are weighed against."""
    return render(
        request,
        template,
        {"employer": employer, "form": form, "umk": umk_batang(), **context},
        status=status,
    )


_vacancy_form_page = functools.partial(
    employer_form_page, template="placements/vacancy_form.html", vacancy=None
)


@login_not_required
@never_cache
@ratelimit(group="employer-signup", key="ip", rate="10/h")
def employer_register(request):
    """Public: create an employer account with its company, and log in."""
    if request.user.is_authenticated:
        if selectors.employer_for_user(request.user) is not None:
            return redirect("placements:employer-dashboard")
        messages.info(
            request,
            _("You are logged in with another kind of account. Log out to register a company."),
        )
        return redirect("home")
    form = EmployerRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.employer_register(
                email=data["account_email"],
                password=data["password"],
                full_name=data["full_name"],
                company=form.company_data(),
                language=get_language() or "",
            )
        except EmployerError as exc:
            field = {
                EmployerError.EMAIL_TAKEN: "account_email",
                EmployerError.NIB_TAKEN: "nib",
            }.get(exc.code)
            form_add_refusal(form, field, exc)
        else:
            login(request, user, backend="accounts.backends.EmailBackend")
            messages.success(
                request,
                _(
                    "Welcome! You can write vacancies now. The training center checks your "
                    "company (NIB) before your first vacancy is published."
                ),
            )
            return redirect("placements:employer-dashboard")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Register your company")}
    return render(request, "placements/employer_register.html", context, status=status)


# A company with many vacancies gets pages, not one long page to render and download.
DASHBOARD_PAGE_SIZE = 20


@never_cache
def employer_dashboard(request):
    """Employer: own vacancies with applicant counts per status, response time."""
    if not request.user.is_employer:
        _employer(request)  # the translated 403
    number = request.GET.get("page", "")

    def build(fragment) -> str:
        # Every query here: a current body needs none. It is stored per account and depends
        # on the company's version; joining or leaving a company bumps the account.
        employer = _employer(request)
        fragment.depend_on(employer_owner(employer.pk))
        fragment.extra["title"] = employer.name
        vacancies = selectors.vacancy_list_for_employer(employer=employer)
        page = Paginator(vacancies, DASHBOARD_PAGE_SIZE).get_page(number)
        context = {
            "employer": employer,
            "page": page,
            "vacancies": page.object_list,
            "stats": selectors.employer_response_stats(employer=employer),
            "pipeline": [(s, S(s).label) for s in S.values],
            "umk": umk_batang(),
            "csrf_token": CSRF_PLACEHOLDER,
        }
        return render_to_string("placements/_employer_dashboard_body.html", context, request)

    # The query string is part of the key (the page number; the pagination links repeat it).
    body, extra = fragment_get_or_build_with_extra(
        request,
        "employer-dashboard",
        user_owner(request.user.pk),
        build,
        depends_on=(PUBLIC_CACHE,),
        variant=request.META.get("QUERY_STRING", ""),
    )
    return render(
        request, "placements/employer_dashboard.html", {"title": extra["title"], "body": body}
    )


@never_cache
def employer_company(request):
    """Employer: the company's details; name and NIB are frozen once verified."""
    employer = _employer(request)
    frozen = FROZEN_AFTER_VERIFICATION if employer.is_verified else ()
    if request.method == "POST":
        form = CompanyForm(request.POST, instance=employer, frozen=frozen)
        if form.is_valid():
            try:
                services.employer_update(employer=employer, data=form.cleaned_data)
            except EmployerError as exc:
                form_add_refusal(form, "nib", exc)
            else:
                messages.success(request, _("The company details are saved."))
                return redirect("placements:employer-company")
        status = 400
    else:
        form = CompanyForm(instance=employer, frozen=frozen)
        status = 200
    return render(
        request,
        "placements/employer_company.html",
        {"form": form, "employer": employer, "title": _("Company"), "active": "company"},
        status=status,
    )


@never_cache
def vacancy_create(request):
    """Employer: write a new vacancy (saved as a draft)."""
    employer = _employer(request)
    if request.method == "POST":
        form = VacancyForm(request.POST)
        if form.is_valid():
            try:
                vacancy = services.vacancy_create(
                    employer=employer,
                    actor=request.user,
                    data=form.vacancy_data(),
                    tracks=form.cleaned_data["tracks"],
                )
            except VacancyError as exc:
                form_add_refusal(form, "reference", exc)
            else:
                messages.success(request, _("Draft saved. Check it, then submit it for review."))
                return redirect("placements:employer-vacancy-detail", pk=vacancy.pk)
        return _vacancy_form_page(request, employer=employer, form=form, status=400)
    form = VacancyForm(initial={"zone": employer.zone, "work_location": employer.address})
    return _vacancy_form_page(request, employer=employer, form=form)


@never_cache
def vacancy_edit(request, pk):
    """Employer: change one of their drafts or rejected vacancies."""
    employer = _employer(request)
    vacancy = selectors.vacancy_get_for_employer(pk=pk, employer=employer)
    if not vacancy.is_editable:
        messages.info(request, _("Only drafts and rejected vacancies can be changed."))
        return redirect("placements:employer-vacancy-detail", pk=vacancy.pk)
    if request.method == "POST":
        form = VacancyForm(request.POST, instance=vacancy)
        if form.is_valid():
            try:
                services.vacancy_update(
                    vacancy=vacancy, data=form.vacancy_data(), tracks=form.cleaned_data["tracks"]
                )
            except VacancyError as exc:
                if exc.code != VacancyError.REFERENCE_TAKEN:
                    messages.error(request, exc.message)
                    return redirect("placements:employer-vacancy-detail", pk=vacancy.pk)
                form_add_refusal(form, "reference", exc)
            else:
                messages.success(request, _("The vacancy is saved."))
                return redirect("placements:employer-vacancy-detail", pk=vacancy.pk)
        return _vacancy_form_page(
            request, employer=employer, form=form, vacancy=vacancy, status=400
        )
    form = VacancyForm(instance=vacancy)
    return _vacancy_form_page(request, employer=employer, form=form, vacancy=vacancy)


@never_cache
def employer_vacancy_detail(request, pk):
    """Employer: one of their vacancies, its state, history and applicants."""
    employer = _employer(request)
    vacancy = selectors.vacancy_get_for_employer(pk=pk, employer=employer)
    status_filter = request.GET.get("status", "")
    applicants = list(
        selectors.job_application_list_for_vacancy(vacancy=vacancy, status=status_filter)
    )
    return render(
        request,
        "placements/employer_vacancy_detail.html",
        {
            "employer": employer,
            "vacancy": vacancy,
            "history": selectors.vacancy_history(vacancy=vacancy),
            "applicants": applicants,
            "status_filter": status_filter if status_filter in S.values else "",
            "statuses": S.choices,
            "close_form": VacancyCloseForm(),
            "umk": umk_batang(),
            "today": timezone.localdate(),
        },
    )


def _vacancy_action(request, pk, action, success):
    employer = _employer(request)
    vacancy = selectors.vacancy_get_for_employer(pk=pk, employer=employer)
    try:
        action(vacancy)
    except VacancyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("placements:employer-vacancy-detail", pk=vacancy.pk)


def _vacancy_action_view(service, success):
    """A POST-only view: `service(vacancy=, actor=)` moves the employer's vacancy, then
    its page says `success` or why it was refused (`_vacancy_action`)."""

    @require_POST
    def view(request, pk):
        return _vacancy_action(
            request, pk, lambda v: service(vacancy=v, actor=request.user), success
        )

    return view


# Employer: ask staff to review the vacancy.
vacancy_submit = _vacancy_action_view(
    services.vacancy_submit,
    gettext_lazy("Submitted. The training center reviews it, usually within two working days."),
)
# Employer: take a submitted vacancy back to change it.
vacancy_return_to_draft = _vacancy_action_view(
    services.vacancy_return_to_draft,
    gettext_lazy("The vacancy is a draft again: change it and submit it once more."),
)


@require_POST
def vacancy_close(request, pk):
    """Employer: close a vacancy; applicants still in progress are told."""
    form = VacancyCloseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _vacancy_action(
        request,
        pk,
        lambda v: services.vacancy_close(vacancy=v, actor=request.user, reason=reason),
        _("The vacancy is closed. Applicants still waiting have been told."),
    )


@never_cache
def vacancy_matches(request, pk):
    """Employer: graduates of the vacancy's tracks who agreed to be found (no contacts)."""
    employer = _employer(request)
    vacancy = selectors.vacancy_get_for_employer(pk=pk, employer=employer)
    return render(
        request,
        "placements/vacancy_matches.html",
        {
            "vacancy": vacancy,
            "graduates": selectors.discoverable_graduates_for_vacancy(vacancy=vacancy),
        },
    )


def _move_forms(application, bound=None):
    """The forms for the moves allowed from the application's status."""
    allowed = services.JOB_APPLICATION_ALLOWED[application.status]
    forms = []
    for to in services.EMPLOYER_MOVES:
        if to not in allowed:
            continue
        form_class = MOVE_FORMS[to]
        form = bound[1] if bound is not None and bound[0] == to else form_class(prefix=to)
        forms.append({"to": to, "label": S(to).label, "form": form})
    return forms


@never_cache
def employer_job_application_detail(request, pk):
    """Employer: an applicant of one of their vacancies, with the next possible steps."""
    employer = _employer(request)
    application = selectors.job_application_get_for_employer(pk=pk, employer=employer)
    return _applicant_page(request, application)


def _education_label(snapshot: dict) -> str:
    value = (snapshot.get("profile") or {}).get("education_level") or ""
    return EducationLevel(value).label if value in EducationLevel.values else ""


def _place_label(snapshot: dict) -> str:
    """Kecamatan (in Batang) or regency, from the codes kept in the snapshot."""
    profile = snapshot.get("profile") or {}
    for code, choices in ((profile.get("kecamatan"), Kecamatan), (profile.get("regency"), Regency)):
        if code in choices.values:
            return str(choices(code).label)
    return ""


def _training_rows(snapshot: dict) -> list[dict]:
    rows = []
    for row in snapshot.get("training") or []:
        status = row.get("status", "")
        label = ApplicationStatus(status).label if status in ApplicationStatus.values else status
        rows.append({**row, "status_label": label})
    return rows


def _applicant_page(request, application, bound=None, status=200):
    return render(
        request,
        "placements/employer_job_application.html",
        {
            "application": application,
            "vacancy": application.vacancy,
            "snapshot": application.snapshot,
            "education_label": _education_label(application.snapshot),
            "place_label": _place_label(application.snapshot),
            # The applicant shared the number with this application: call or chat.
            "phone_links": phone_links(application.snapshot.get("phone")),
            "training": _training_rows(application.snapshot),
            "events": application.events.all(),
            "move_forms": _move_forms(application, bound),
        },
        status=status,
    )


@require_POST
def employer_job_application_move(request, pk, to):
    """Employer: move an applicant one step (shortlist, interview, offer, hire, decline)."""
    employer = _employer(request)
    application = selectors.job_application_get_for_employer(pk=pk, employer=employer)
    if to not in MOVE_FORMS:
        raise Http404
    form = MOVE_FORMS[to](request.POST, prefix=to)
    if not form.is_valid():
        return _applicant_page(request, application, bound=(to, form), status=400)
    data = form.cleaned_data
    try:
        services.job_application_move(
            job_application=application,
            employer=employer,
            actor=request.user,
            to=to,
            note=data.get("note", ""),
            reason=data.get("reason", ""),
            interview_at=data.get("interview_at"),
            interview_place=data.get("interview_place", ""),
            start_date=data.get("start_date"),
            salary=data.get("salary"),
        )
    except JobApplicationError as exc:
        form_add_refusal(form, None, exc)
        return _applicant_page(request, application, bound=(to, form), status=400)
    messages.success(
        request,
        _("%(name)s is now “%(status)s”; we sent them a message.")
        % {"name": application.person.get_full_name(), "status": S(to).label},
    )
    return redirect("placements:employer-job-application-detail", pk=application.pk)
