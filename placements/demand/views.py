"""Employer pages of demand and pledges, beside the employer dashboard.

Every view starts with `_employer(request)` (an account acting for an employer, else
403); statements and pledges come from selectors scoped by that employer, so another
employer's ids answer 404. Graduates appear only once the pledged intake ended, and only
those who agreed to be found.
"""

import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import form_add_refusal

from .. import selectors as placement_selectors
from ..errors import DemandError, PledgeError
from ..views.employer import employer_form_page
from . import selectors, services
from .forms import DemandForm, InviteForm, PledgeForm

DEMAND_FIELD_OF = {
    DemandError.WAGE_BELOW_UMK: "wage_min",
    DemandError.PROGRAM_OF_ANOTHER_TRACK: "program",
    DemandError.UNIT_OF_ANOTHER_PROGRAM: "units",
    DemandError.QUARTER_PAST: "quarter",
}
PLEDGE_FIELD_OF = {
    PledgeError.SEATS_REQUIRED: "seats",
    PledgeError.WAGE_BELOW_UMK: "wage_min",
    PledgeError.START_BEFORE_END: "start_until",
    PledgeError.DUPLICATE: "cohort",
    PledgeError.INTAKE_NOT_OPEN: "cohort",
}


def _employer(request):
    return placement_selectors.employer_get_for_user(request.user)


def _employer_list_view(name: str, **lists):
    """The employer's page `placements/<name>.html`: the company and, under each name in
    `lists`, what that selector lists for the company."""

    @never_cache
    def view(request):
        employer = _employer(request)
        listed = {key: select(employer=employer) for key, select in lists.items()}
        return render(request, f"placements/{name}.html", {"employer": employer, **listed})

    return view


_demand_form_page = functools.partial(
    employer_form_page, template="placements/demand_form.html", statement=None
)


# --------------------------------------------------------------------------- demand


# Employer: the company's demand statements, by quarter.
demand_list = _employer_list_view("demand_list", statements=selectors.demand_list_for_employer)


@never_cache
def demand_create(request):
    """Employer: state how many people the company expects to hire, and when."""
    employer = _employer(request)
    form = DemandForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.demand_create(
                    employer=employer,
                    actor=request.user,
                    data=form.demand_data(),
                    units=form.cleaned_data["units"],
                )
            except DemandError as exc:
                form_add_refusal(form, DEMAND_FIELD_OF.get(exc.code), exc)
            else:
                messages.success(
                    request, _("Your demand is saved. Thank you: it shapes the next intakes.")
                )
                return redirect("placements:demand-list")
        return _demand_form_page(request, employer=employer, form=form, status=400)
    return _demand_form_page(request, employer=employer, form=form)


@never_cache
def demand_edit(request, pk):
    """Employer: change one of the company's demand statements."""
    employer = _employer(request)
    statement = selectors.demand_get_for_employer(pk=pk, employer=employer)
    form = DemandForm(request.POST or None, instance=statement)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.demand_update(
                    statement=statement, data=form.demand_data(), units=form.cleaned_data["units"]
                )
            except DemandError as exc:
                form_add_refusal(form, DEMAND_FIELD_OF.get(exc.code), exc)
            else:
                messages.success(request, _("Your demand is saved."))
                return redirect("placements:demand-list")
        return _demand_form_page(
            request, employer=employer, form=form, statement=statement, status=400
        )
    return _demand_form_page(request, employer=employer, form=form, statement=statement)


@require_POST
def demand_delete(request, pk):
    """Employer: take a demand statement back."""
    employer = _employer(request)
    statement = selectors.demand_get_for_employer(pk=pk, employer=employer)
    services.demand_delete(statement=statement)
    messages.success(request, _("The demand statement is deleted."))
    return redirect("placements:demand-list")


# -------------------------------------------------------------------------- pledges


# Employer: the company's pledges with the hires counted against each.
pledge_list = _employer_list_view("pledge_list", pledges=selectors.pledge_list_for_employer)


@never_cache
def pledge_create(request):
    """Employer: pledge interviews or seats for an intake; staff accept it."""
    employer = _employer(request)
    form = PledgeForm(request.POST or None, initial={"kind": "seats"})
    if request.method == "POST":
        if form.is_valid():
            try:
                pledge = services.pledge_offer(
                    employer=employer,
                    cohort=form.cleaned_data["cohort"],
                    actor=request.user,
                    data=form.pledge_data(),
                )
            except PledgeError as exc:
                form_add_refusal(form, PLEDGE_FIELD_OF.get(exc.code), exc)
            else:
                messages.success(
                    request,
                    _("Thank you. The training center checks your pledge and tells you by e-mail."),
                )
                return redirect("placements:pledge-detail", pk=pledge.pk)
        status = 400
    else:
        status = 200
    return employer_form_page(
        request, template="placements/pledge_form.html", employer=employer, form=form, status=status
    )


def _pledge_page(request, *, employer, pledge, invite_form=None, invite_for=None, status=200):
    return render(
        request,
        "placements/pledge_detail.html",
        {
            "employer": employer,
            "pledge": pledge,
            "events": pledge.events.all(),
            "graduates_visible": selectors.pledge_graduates_visible(pledge=pledge),
            "graduates": selectors.pledge_graduate_list(pledge=pledge),
            "invite_form": invite_form or InviteForm(),
            "invite_for": invite_for,
        },
        status=status,
    )


@never_cache
def pledge_detail(request, pk):
    """Employer: one pledge, its numbers and history; the graduates once the intake ended."""
    employer = _employer(request)
    pledge = selectors.pledge_get_for_employer(pk=pk, employer=employer)
    return _pledge_page(request, employer=employer, pledge=pledge)


@require_POST
def pledge_withdraw(request, pk):
    """Employer: take back a pledge the training center has not accepted yet."""
    employer = _employer(request)
    pledge = selectors.pledge_get_for_employer(pk=pk, employer=employer)
    try:
        services.pledge_withdraw(pledge=pledge, employer=employer, actor=request.user)
    except PledgeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The pledge is withdrawn."))
    return redirect("placements:pledge-detail", pk=pledge.pk)


@require_POST
def pledge_invite(request, pk, person):
    """Employer: invite one graduate of the pledged intake (who agreed to be found)."""
    employer = _employer(request)
    pledge = selectors.pledge_get_for_employer(pk=pk, employer=employer)
    if not selectors.pledge_graduates_visible(pledge=pledge):
        messages.error(request, _("You can invite graduates once the intake has ended."))
        return redirect("placements:pledge-detail", pk=pledge.pk)
    graduate = selectors.pledge_graduate_get(pledge=pledge, person_id=person)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _pledge_page(
            request,
            employer=employer,
            pledge=pledge,
            invite_form=form,
            invite_for=graduate.pk,
            status=400,
        )
    try:
        services.pledge_invite(
            pledge=pledge,
            employer=employer,
            person=graduate,
            actor=request.user,
            message=form.cleaned_data["message"],
        )
    except PledgeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation is sent by e-mail."))
    return redirect("placements:pledge-detail", pk=pledge.pk)
