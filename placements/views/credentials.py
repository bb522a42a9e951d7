"""Employer pages about their people's credentials: those expiring in 90 days (page,
CSV, XLSX) and nominating workers for a competency assessment by NIK.

Only people placed with the employer or nominated by it, who agreed to share, are
listed (`selectors.employer_people_trainee_ids`); NIKs are never shown whole.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from openpyxl import Workbook

from core.ratelimit import ratelimit
from core.spreadsheets import workbook_response
from courses.certification.selectors import assessment_list_open_for
from courses.errors import CertificationError

from .. import selectors
from ..errors import EmployerError
from ..forms import EmployerCredentialForm, NominationForm
from ..services.credentials import employer_credential_record
from ..services.nominations import nominations_submit

WITHIN_DAYS = 90


def _employer(request):
    return selectors.employer_get_for_user(request.user)


def _safe(value):
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _table(credentials):
    header = [
        _("Name"),
        _("Credential"),
        _("Number"),
        _("Issuer"),
        _("Valid until"),
        _("Status"),
    ]
    rows = [
        [
            c.holder_name,
            c.scheme.name,
            c.number,
            c.issuer,
            c.expires_on.isoformat() if c.expires_on else "",
            str(c.status_label),
        ]
        for c in credentials
    ]
    return header, rows


@never_cache
def employer_credentials(request):
    """Employer: our people's credentials expiring within 90 days (or just expired)."""
    employer = _employer(request)
    credentials = list(
        selectors.employer_credentials_expiring(employer=employer, within_days=WITHIN_DAYS)
    )
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        header, rows = _table(credentials)
        if export == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="credentials-expiring.csv"'
            response.write("\ufeff")
            writer = csv.writer(response)
            writer.writerow(header)
            writer.writerows([[_safe(v) for v in row] for row in rows])
            return response
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        return workbook_response(workbook, "credentials-expiring")
    context = {
        "employer": employer,
        "credentials": credentials,
        "within_days": WITHIN_DAYS,
        "to_record": list(selectors.employer_licences_to_record(employer=employer)),
        "title": _("Licences and certificates expiring"),
        "active": "credentials",
    }
    return render(request, "placements/employer_credentials.html", context)


@never_cache
@ratelimit(group="nominate", key="user", rate="30/h")
def employer_nominate(request):
    """Employer: nominate workers for an assessment ahead by their NIKs; a per-row report."""
    employer = _employer(request)
    form = NominationForm(request.POST or None, assessments=assessment_list_open_for())
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = nominations_submit(
                employer=employer,
                assessment=form.cleaned_data["assessment"],
                niks=form.cleaned_data["niks"],
                actor=request.user,
            )
        else:
            status = 400
    context = {
        "employer": employer,
        "form": form,
        "report": report,
        "title": _("Nominate workers"),
        "active": "credentials",
    }
    return render(request, "placements/employer_nominate.html", context, status=status)


@never_cache
def employer_credential_new(request):
    """Employer: record a licence the ministry issued on our application for a worker."""
    employer = _employer(request)
    form = EmployerCredentialForm(
        request.POST or None,
        request.FILES or None,
        people=selectors.employer_people_placed(employer=employer),
        # "Record the licence" of a hire fills in the person and the licence.
        initial={key: request.GET.get(key) for key in ("person", "scheme") if key in request.GET},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                employer_credential_record(
                    employer=employer,
                    trainee=data["person"],
                    scheme=data["scheme"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    expires_on=data["expires_on"],
                    scan=data["scan"],
                    actor=request.user,
                )
            except (CertificationError, EmployerError) as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("The licence is recorded; the STC checks it against the scan.")
                )
                return redirect("placements:employer-credentials")
        status = 400
    context = {
        "employer": employer,
        "form": form,
        "title": _("Record a licence"),
        "active": "credentials",
    }
    return render(request, "placements/employer_credential_form.html", context, status=status)
