"""Cross-cutting views: health check, language switch, a person's own data (the home page
is in courses)."""

import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .errors import DomainError
from .formatting import format_file_size
from .forms import AccountDeleteForm
from .personal_data import account_erase, personal_data_zip
from .ratelimit import ratelimit

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # noqa: BLE001 - any failure means "down" to a health check
        logger.exception("healthz: database unreachable")
        return False


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return "ok"
    except redis.RedisError:
        logger.warning("healthz: broker unreachable")
        return "down"


@login_not_required
@never_cache
def healthz(request):
    """Public: state of the database, the cache and the broker, for load balancers and
    monitoring.

    503 when the database is down (the portal cannot serve anything) or the cache is
    (it then runs degraded on a per-process fallback: README "Operations"); a broker
    outage alone is reported but keeps 200, because notifications wait in the outbox.
    """
    database = "ok" if _database_ok() else "down"
    payload = {"database": database, "cache": _cache_state(), "broker": _broker_state()}
    down = database == "down" or payload["cache"] == "down"
    payload["status"] = "ok" if not down and payload["broker"] != "down" else "degraded"
    return JsonResponse(payload, status=503 if down else 200)


def _cache_state() -> str:
    """ "ok", "down" (Redis unreachable: the portal runs on its local fallback) or "local"."""
    backend = caches["default"]
    if not hasattr(backend, "ping"):
        return "local"
    return "ok" if backend.ping() else "down"


# Errors that mean "the database cannot be reached", not "our code is wrong".
DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request):
    """The 500 page; a 503 with Retry-After when the cause is the database being away.

    Runs inside Django's exception handling, so `sys.exc_info()` is the error. The broken
    connection is closed at once: the next request opens a fresh one instead of reusing a
    dead one for `CONN_MAX_AGE` seconds. Neither page touches the database.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN) or (
        isinstance(exc, DatabaseError) and isinstance(exc.__cause__, DATABASE_DOWN)
    ):
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def _csrf_ok(request) -> bool:
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is None


@login_not_required
@csrf_exempt
@require_POST
def language_switch(request):
    """Public: switch the UI language (cookie) and remember it on the account.

    Exempt from CSRF so that public pages carry no token and can be cached whole: a
    forged request could only change the display language. Saving the choice on the
    account (it decides the language of e-mails) still requires a valid token.
    """
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
        and _csrf_ok(request)
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response


# --- A person's own data (UU 27/2022) ---------------------------------------------------


@never_cache
def personal_data(request):
    """Signed-in: what we hold, download it all, or delete the account."""
    return render(request, "personal_data/index.html", {"title": _("My data")})


@require_POST
@ratelimit(group="data-export", key="user", rate="10/h")
def personal_data_download(request):
    """Signed-in: a zip of everything the portal holds about the person (and documents)."""
    content = personal_data_zip(user=request.user, request=request)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"data-stc-batang-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@ratelimit(group="account-erase", key="user", rate="10/h")
def account_delete(request):
    """Signed-in: erase the account's personal data after the password and a clear yes."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            account_erase(user=user, actor=user, request=request)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(
                request,
                _("Your account is deleted. Thank you for having been with us."),
            )
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Delete my account")}
    return render(request, "personal_data/delete.html", context, status=status)


@login_not_required
def bad_request(request, exception=None):
    """The 400 page. Unlike Django's default it never reads `request.POST`: a body that
    could not be parsed (a urlencoded POST declaring `charset=utf-16`, say) raised the
    error that brought us here, and reading it again would turn the 400 into a 500."""
    try:
        return render(request, "400.html", status=400)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.exception("400 page could not be rendered")
        return HttpResponse(
            _("The request could not be understood."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )


def request_too_large(request, *, size: int, limit: int):
    """The 413 answer to a body over the request-size cap (called by the middleware,
    before any view read the body): both sizes in the reader's language, rounded up so
    the size never reads as the limit, and the way back to the page the form was on."""
    sizes = {"size": format_file_size(size, round_up=True), "limit": format_file_size(limit)}
    message = (
        _("What you sent is %(size)s; the limit is %(limit)s. Choose a smaller photo or file.")
        % sizes
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"saved": False, "message": message}, status=413)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    try:
        return render(request, "413.html", {"message": message, "back": back}, status=413)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.exception("413 page could not be rendered")
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
