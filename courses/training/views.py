"""Pages of the training: the printable certificate (holder and staff), the public
verification page that the QR code on a certificate opens, and the trainer's phone pages
(their intakes; today's roster, tapped present or absent).
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.roles import TRAINER_ATTENDANCE_PERMISSION
from courses.certification.views import CodeLookupView, CodeVerifyView
from courses.errors import TrainingError
from courses.training.selectors.certificates import (
    certificate_get_by_code,
    certificate_get_for_viewer,
)
from courses.training.selectors.trainers import (
    cohort_get_for_trainer,
    cohort_list_for_trainer,
    trainer_session,
)
from courses.training.services.attendance import attendance_mark


def qr_svg(data: str) -> str:
    """An inline SVG QR code (error correction M: survives a crease or a stain)."""
    return segno.make(data, error="m").svg_inline(scale=4, border=2, title=data)


class CertificatePrintView(View):
    """The printable certificate, for its holder and for staff, with the QR code."""

    def get(self, request, pk):
        certificate = certificate_get_for_viewer(pk=pk, user=request.user)
        verify_url = settings.SITE_URL + certificate.get_absolute_url()
        context = {
            "certificate": certificate,
            "verify_url": verify_url,
            "qr": mark_safe(qr_svg(verify_url)),  # noqa: S308 - segno's own SVG markup
        }
        return render(request, "courses/certificate_print.html", context)


class CertificateLookupView(CodeLookupView):
    """Public: type the code printed on a certificate to reach its verification page."""

    title = gettext_lazy("Check a certificate")
    intro = gettext_lazy(
        "Scan the QR code on the certificate, or type the verification code printed beside it."
    )
    verify_url_name = "courses:certificate-verify"


class CertificateVerifyView(CodeVerifyView):
    """Public: whether a certificate is genuine and valid; the holder's name half hidden
    (an unknown code's page says how to ask the STC)."""

    title = gettext_lazy("Certificate check")
    template_name = "courses/certificate_verify.html"
    context_object_name = "certificate"
    lookup_url_name = "courses:certificate-lookup"

    def find(self, code):
        return certificate_get_by_code(code=code)


def _trainer_only(request) -> None:
    """Trainers' pages are for accounts with the role Trainer, holding the Trainer group's
    attendance permission (core.roles); 403 for everyone else."""
    if not (request.user.is_trainer and request.user.has_perm(TRAINER_ATTENDANCE_PERMISSION)):
        raise PermissionDenied(_("This page is for trainers."))


class TrainerHomeView(View):
    """A trainer's intakes, with a link to today's session of each."""

    def get(self, request):
        _trainer_only(request)
        cohorts = cohort_list_for_trainer(user=request.user)
        return render(request, "courses/trainer_home.html", {"cohorts": cohorts})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class TrainerSessionView(View):
    """Today's session of one of the trainer's intakes: tap present or absent per trainee.

    Without JavaScript every tap is a form post (saved, then back to the same row); the
    script static/js/trainer-attendance.js sends the same post in the background, queues
    it while the connection is down and asks for JSON. Another trainer's intake is 404.
    """

    def get(self, request, code):
        _trainer_only(request)
        cohort = cohort_get_for_trainer(code=code, user=request.user)
        session = trainer_session(cohort=cohort)
        return render(
            request, "courses/trainer_session.html", {"cohort": cohort, "session": session}
        )

    def post(self, request, code):
        _trainer_only(request)
        cohort = cohort_get_for_trainer(code=code, user=request.user)
        application_id, _sep, value = request.POST.get("mark", "").partition(":")
        day_id = request.POST.get("day", "")
        if not (application_id.isdigit() and day_id.isdigit() and value in ("present", "absent")):
            return self._refused(request, cohort, _("The mark was not understood: tap again."))
        try:
            attendance_mark(
                cohort=cohort,
                day_id=int(day_id),
                application_id=int(application_id),
                present=value == "present",
                actor=request.user,
            )
        except TrainingError as error:
            return self._refused(request, cohort, error.message, status=409)
        if _wants_json(request):
            return JsonResponse({"saved": True, "application": int(application_id), "mark": value})
        url = reverse("courses:trainer-session", kwargs={"code": cohort.code})
        return redirect(f"{url}#trainee-{application_id}")

    def _refused(self, request, cohort, message, status=400):
        if _wants_json(request):
            return JsonResponse({"saved": False, "message": message}, status=status)
        messages.error(request, message)
        session = trainer_session(cohort=cohort)
        context = {"cohort": cohort, "session": session}
        return render(request, "courses/trainer_session.html", context, status=status)
