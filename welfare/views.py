"""The trainee's own pages of the welfare app: where their allowance (uang saku) is paid.

Job seekers only, each their own: an intake is reached through
`selectors.application_get_for_payee`, scoped by the requester, so another person's
application is a 404. Staff enter and verify payees in the admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.forms import form_add_refusal

from . import selectors, services
from .errors import PayeeError
from .forms import BANKS, EWALLETS, PayeeSelfForm


def _job_seeker_or_403(request) -> None:
    # Staff and employers have no allowance of their own (staff use the admin).
    if request.user.is_staff or not request.user.is_job_seeker:
        raise PermissionDenied


@never_cache
def payee_list(request):
    """Job seeker: their intakes that pay an allowance, each with its account (masked)."""
    _job_seeker_or_403(request)
    applications = selectors.application_list_for_payee(user=request.user)
    return render(request, "welfare/payee_list.html", {"applications": applications})


@never_cache
def payee_edit(request, pk: int):
    """Job seeker: enter or change the account their allowance of one intake is paid to."""
    _job_seeker_or_403(request)
    application = selectors.application_get_for_payee(user=request.user, pk=pk)
    if application is None:
        raise Http404
    payee = application.payee if hasattr(application, "payee") else None
    paid = hasattr(application, "allowance_payment")
    status = 200
    if request.method == "POST" and not paid:
        form = PayeeSelfForm(request.POST)
        if form.is_valid():
            try:
                services.payee_save(
                    application=application,
                    actor=request.user,
                    request=request,
                    **form.cleaned_data,
                )
            except PayeeError as error:
                form_add_refusal(form, None, error)
            else:
                messages.success(request, _("Your allowance account is saved."))
                return redirect("welfare:payee-list")
        status = 400
    else:
        form = PayeeSelfForm(initial=PayeeSelfForm.initial_for(payee))
        if request.method == "POST":
            status = 409
            messages.error(
                request, _("The allowance is already paid to the account given: ask the staff.")
            )
    context = {
        "application": application,
        "payee": payee,
        "paid": paid,
        "form": form,
        "providers": BANKS + EWALLETS,
    }
    return render(request, "welfare/payee_form.html", context, status=status)
