"""HTTP views of the notifications app: the one-click unsubscribe page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .errors import NotificationError
from .kinds import Kind
from .selectors import email_opted_out
from .services import email_opt_in, email_opt_out, unsubscribe_token_read


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
