"""Pages of the training: the printable certificate (holder and staff) and the public
verification page that the QR code on a certificate opens.
"""

from __future__ import annotations

import re

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from courses.training.selectors import certificate_get_by_code, certificate_get_for_viewer


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
        certificate = certificate_get_by_code(code=code)
        context = {"certificate": certificate, "code": code}
        status = 200 if certificate is not None else 404
        response = render(request, "courses/certificate_verify.html", context, status=status)
        # Verification pages are for the person holding the paper, not for search engines.
        response["X-Robots-Tag"] = "noindex"
        return response
