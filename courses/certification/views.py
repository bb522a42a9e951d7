"""Pages of certification: the public credential check (code or QR), and the job
seeker's credentials with the assessments they may register for."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.ratelimit import ratelimit
from courses.admissions.views import trainee_or_403
from courses.certification.forms import AplUploadForm
from courses.certification.selectors import (
    assessment_list_open_for,
    credential_get_by_code,
    credential_list_for_user,
    registration_get_for_user,
    registration_list_for_user,
)
from courses.certification.services.assessments import assessment_register, registration_apl_upload
from courses.errors import CertificationError
from courses.models import AssessmentRegistration


@method_decorator(login_not_required, name="dispatch")
class CodeLookupView(View):
    """Public: type the verification code printed on paper to reach its check page.

    Subclasses name the page (``title``, ``intro``) and the check page it leads to.
    """

    title = ""
    intro = ""
    verify_url_name = ""

    def get(self, request):
        context = {"title": self.title, "intro": self.intro}
        if "code" not in request.GET:
            return render(request, "courses/code_lookup.html", context)
        # Codes are letters and digits; spaces and dashes typed from paper are dropped.
        code = re.sub(r"[^0-9A-Za-z]", "", request.GET["code"]).upper()
        if not code or len(code) > 16:
            context["error"] = _("Type the letters and digits printed beside the QR code.")
            return render(request, "courses/code_lookup.html", context, status=400)
        return redirect(self.verify_url_name, code=code)


class CredentialLookupView(CodeLookupView):
    """Public: type the code printed on a certificate or licence card."""

    title = gettext_lazy("Check a credential")
    intro = gettext_lazy(
        "Scan the QR code on the certificate or licence card, or type the verification "
        "code recorded at the STC."
    )
    verify_url_name = "courses:credential-verify"


@method_decorator(login_not_required, name="dispatch")
class CodeVerifyView(View):
    """Public: the check page a verification code opens (the QR code on the paper); an
    unknown code answers 404 with a page that says so.

    Subclasses name the page (``title``), its template (extending courses/code_verify.html),
    the name of the row in it, the lookup page to try another code and how a code finds it.
    """

    title = ""
    template_name = ""
    context_object_name = ""
    lookup_url_name = ""

    def find(self, code):
        raise NotImplementedError

    def get(self, request, code):
        found = self.find(code)
        context = {
            self.context_object_name: found,
            "found": found,
            "code": code,
            "title": self.title,
            "context_object_name": self.context_object_name,
            "lookup_url_name": self.lookup_url_name,
        }
        status = 200 if found is not None else 404
        response = render(request, self.template_name, context, status=status)
        # Check pages are for the person holding the paper, not for search engines.
        response["X-Robots-Tag"] = "noindex"
        return response


class CredentialVerifyView(CodeVerifyView):
    """Public: valid, expiring, expired, revoked or no longer valid (left the employer);
    the holder's name half hidden."""

    title = gettext_lazy("Credential check")
    template_name = "courses/credential_verify.html"
    context_object_name = "credential"
    lookup_url_name = "courses:credential-lookup"

    def find(self, code):
        return credential_get_by_code(code=code)


def _credential_page(request, *, apl_form=None, apl_for=None, status=200):
    registrations = registration_list_for_user(user=request.user)
    registered = {r.assessment_id for r in registrations}
    today = timezone.localdate()
    for registration in registrations:
        registration.apl_open = (
            registration.status == AssessmentRegistration.Status.REGISTERED
            and registration.assessment.date >= today
        )
        registration.apl_form = apl_form if registration.pk == apl_for else None
    context = {
        "credentials": credential_list_for_user(user=request.user),
        "registrations": registrations,
        "assessments": [a for a in assessment_list_open_for() if a.pk not in registered],
        "today": today,
        "apl_choices": AplUploadForm.base_fields["form"].choices,
    }
    return render(request, "courses/credential_list.html", context, status=status)


class CredentialListView(View):
    """Job seeker: their credentials with status and dates, their assessments (with the
    APL forms to upload), and the assessments ahead they may register for."""

    def get(self, request):
        trainee_or_403(request)
        return _credential_page(request)


@method_decorator(ratelimit(group="document-upload", key="user", rate="30/h"), name="dispatch")
class AssessmentAplUploadView(View):
    """Job seeker (POST): upload the APL-01 or APL-02 form of their own registration;
    it goes to private storage, staff open it in the admin."""

    def post(self, request, pk):
        trainee_or_403(request)
        registration = registration_get_for_user(pk=pk, user=request.user)
        which = request.POST.get("form")
        which = which if which in AssessmentRegistration.APL_FORMS else "apl01"
        form = AplUploadForm(request.POST, request.FILES, auto_id=f"id_apl_{pk}_{which}_%s")
        if not form.is_valid():
            return _credential_page(request, apl_form=form, apl_for=registration.pk, status=400)
        try:
            registration_apl_upload(
                registration=registration,
                form=form.cleaned_data["form"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except CertificationError as exc:
            form.add_error(None, exc.message)
            return _credential_page(request, apl_form=form, apl_for=registration.pk, status=400)
        messages.success(request, _("The form is uploaded; the assessors see it."))
        return redirect(reverse("courses:credential-list") + f"#registration-{registration.pk}")


@method_decorator(ratelimit(group="apply", key="user", rate="20/h"), name="dispatch")
class AssessmentRegisterView(View):
    """Job seeker (POST): register for an assessment ahead; eligibility is the service's."""

    def post(self, request, pk):
        trainee = trainee_or_403(request)
        assessment = assessment_list_open_for().filter(pk=pk).first()
        if assessment is None:
            raise Http404(_("No competency assessment ahead has this number."))
        try:
            assessment_register(assessment=assessment, trainee=trainee, actor=request.user)
        except CertificationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You are registered for the competency assessment."))
        return redirect("courses:credential-list")
