"""Pages of the selection and training (issue 6).

Job seekers (login): re-register (daftar ulang), answer a seat offer, print a certificate.
Public: the cohort's selection page (seed and anonymous ranking) and the certificate
verification page that the QR code on a certificate opens.
"""

from __future__ import annotations

import re

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from core.cache import public_page_cache

from . import selection_services, selectors, training_selectors
from .errors import ApplicationError, OfferError
from .services import CATALOGUE_CACHE


def _trainee(request):
    from .views import _trainee_or_403

    return _trainee_or_403(request)


class ApplicationConfirmView(View):
    """Job seeker: re-register (daftar ulang) for an accepted seat. POST only."""

    http_method_names = ["post"]

    def post(self, request, pk):
        trainee = _trainee(request)
        application = selectors.application_get_for_trainee(pk=pk, trainee=trainee)
        try:
            selection_services.application_confirm(application=application, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You are re-registered: your seat is confirmed."))
        return redirect(application.get_absolute_url())


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
        offer = training_selectors.seat_offer_get_for_trainee(pk=pk, trainee=_trainee(request))
        return render(request, self.template_name, self._context(offer))

    def post(self, request, pk):
        offer = training_selectors.seat_offer_get_for_trainee(pk=pk, trainee=_trainee(request))
        action = request.POST.get("action")
        if action == "decline" and request.POST.get("confirm") != "1":
            return render(request, self.template_name, self._context(offer, confirm_decline=True))
        try:
            if action == "accept":
                selection_services.seat_offer_accept(offer=offer, actor=request.user)
                messages.success(
                    request, _("The seat is yours: you are re-registered for the training.")
                )
            elif action == "decline":
                selection_services.seat_offer_decline(offer=offer, actor=request.user)
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


def qr_svg(data: str) -> str:
    """An inline SVG QR code (error correction M: survives a crease or a stain)."""
    return segno.make(data, error="m").svg_inline(scale=4, border=2, title=data)


class CertificatePrintView(View):
    """The printable certificate, for its holder and for staff, with the QR code."""

    def get(self, request, pk):
        certificate = training_selectors.certificate_get_for_viewer(pk=pk, user=request.user)
        verify_url = settings.SITE_URL + certificate.get_absolute_url()
        context = {
            "certificate": certificate,
            "verify_url": verify_url,
            "qr": mark_safe(qr_svg(verify_url)),  # noqa: S308 - segno's own SVG markup
        }
        return render(request, "courses/certificate_print.html", context)


@method_decorator(login_not_required, name="dispatch")
class CertificateLookupView(View):
    """Public: type the code printed on a certificate to reach its verification page."""

    def get(self, request):
        if "code" not in request.GET:
            return render(request, "courses/certificate_lookup.html")
        # Codes are letters and digits; spaces and dashes typed from paper are dropped.
        code = re.sub(r"[^0-9A-Za-z]", "", request.GET["code"]).upper()
        if not code or len(code) > 16:
            context = {"error": _("Type the letters and digits printed beside the QR code.")}
            return render(request, "courses/certificate_lookup.html", context, status=400)
        return redirect("courses:certificate-verify", code=code)


@method_decorator(login_not_required, name="dispatch")
class CertificateVerifyView(View):
    """Public: whether a certificate is genuine and valid; the holder's name half hidden.

    An unknown code answers 404 with a page that says so (and how to ask the STC).
    """

    def get(self, request, code):
        certificate = training_selectors.certificate_get_by_code(code=code)
        context = {"certificate": certificate, "code": code}
        status = 200 if certificate is not None else 404
        response = render(request, "courses/certificate_verify.html", context, status=status)
        # Verification pages are for the person holding the paper, not for search engines.
        response["X-Robots-Tag"] = "noindex"
        return response


@method_decorator([login_not_required, public_page_cache(CATALOGUE_CACHE)], name="dispatch")
class CohortSelectionView(View):
    """Public: a cohort's tie-break seed, the rules and the ranking by application number.

    No names: each applicant finds their own line by the number on their dashboard, and
    anyone can recompute the draws from the seed.
    """

    def get(self, request, code):
        cohort = training_selectors.cohort_get_public_selection(code=code)
        ranking = training_selectors.cohort_selection_ranking(cohort=cohort)
        context = {
            "cohort": cohort,
            "program": cohort.program,
            "runs": training_selectors.selection_run_list_for_cohort(cohort=cohort),
            "ranking": ranking,
            "program_url": reverse("courses:program-detail", kwargs={"slug": cohort.program.slug}),
        }
        return render(request, "courses/cohort_selection.html", context)
