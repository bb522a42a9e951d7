"""HTTP views of the notifications app: the one-click unsubscribe page, the WhatsApp
webhook, the SMS gateway's delivery reports."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from core.ratelimit import ratelimit

from .errors import NotificationError
from .fallback import sms_report_record, whatsapp_webhook_record
from .kinds import Kind
from .selectors import email_opted_out
from .services import email_opt_in, email_opt_out, unsubscribe_token_read
from .sms import sms_report_parse, sms_report_token_valid
from .whatsapp import signature_valid

logger = logging.getLogger(__name__)


@method_decorator(login_not_required, name="dispatch")
# The signed token in the URL is the credential, and mail clients send RFC 8058 one-click
# POSTs ("List-Unsubscribe=One-Click") without any CSRF token.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """Public (signed link): switch one kind of digest e-mail off, or back on."""

    template_name = "notifications/unsubscribe.html"

    def get(self, request, token):
        try:
            user_id, kind = unsubscribe_token_read(token=token)
        except NotificationError as exc:
            return render(request, self.template_name, {"error": exc.message}, status=400)
        context = {
            "kind_label": Kind(kind).label,
            "opted_out": email_opted_out(user_id=user_id, kind=kind),
        }
        return render(request, self.template_name, context)

    def post(self, request, token):
        try:
            user_id, kind = unsubscribe_token_read(token=token)
        except NotificationError as exc:
            return render(request, self.template_name, {"error": exc.message}, status=400)
        if request.POST.get("action") == "subscribe":
            email_opt_in(user_id=user_id, kind=kind)
            messages.success(request, _("You will receive these e-mails again."))
        else:
            email_opt_out(user_id=user_id, kind=kind)
            messages.success(request, _("You have been unsubscribed."))
        return redirect(request.path)


@method_decorator(login_not_required, name="dispatch")
# Meta signs the body with the app secret (X-Hub-Signature-256); it sends no CSRF token.
@method_decorator(csrf_exempt, name="dispatch")
# Meta sends a few hundred updates a minute at most for our volume; a flood from one
# address is refused before the body is read (429), Meta retries later.
@method_decorator(ratelimit(group="whatsapp-webhook", key="ip", rate="600/m"), name="dispatch")
class WhatsAppWebhookView(View):
    """Public (signed): Meta's verify handshake (GET) and its webhooks (POST)."""

    def get(self, request):
        token = settings.WHATSAPP["verify_token"]
        if (
            request.GET.get("hub.mode") == "subscribe"
            and token
            and request.GET.get("hub.verify_token") == token
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()

    def post(self, request):
        body = request.body
        if not signature_valid(
            body=body,
            header=request.headers.get("X-Hub-Signature-256", ""),
            app_secret=settings.WHATSAPP["app_secret"],
        ):
            logger.warning("WhatsApp webhook refused: bad or missing signature")
            return HttpResponseForbidden()
        try:
            whatsapp_webhook_record(body=body)
        except (ValueError, KeyError, TypeError):
            # Signed by Meta but not a shape we know: acknowledge, or Meta retries forever.
            logger.warning("WhatsApp webhook with an unknown shape ignored", exc_info=True)
        return HttpResponse("OK", content_type="text/plain")


@method_decorator(login_not_required, name="dispatch")
# The gateway calls with the secret token in the path; it sends no CSRF token.
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(ratelimit(group="sms-report", key="ip", rate="600/m"), name="dispatch")
class SmsReportView(View):
    """Public (secret in the URL): the SMS gateway's delivery reports (GET or POST)."""

    def get(self, request, token):
        return self._report(request, token, request.GET)

    def post(self, request, token):
        data = request.POST
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                data = {}
        return self._report(request, token, {**request.GET.dict(), **dict(data.items())})

    def _report(self, request, token, data):
        if not sms_report_token_valid(token):
            logger.warning("SMS delivery report refused: wrong or missing token")
            return HttpResponseForbidden()
        try:
            report = sms_report_parse(data)
        except ValueError:
            # From the gateway but not a report we know: acknowledge, or it retries forever.
            logger.warning("SMS delivery report with an unknown shape ignored: %s", dict(data))
            return HttpResponse("OK", content_type="text/plain")
        sms_report_record(report=report)
        return HttpResponse("OK", content_type="text/plain")
