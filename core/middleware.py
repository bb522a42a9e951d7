"""Language selection: Indonesian first, English on request."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    """Activate the language the person chose, else Indonesian.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored on
    purpose: many phones in Batang are set to English while their owners read
    Indonesian first. The choice is made with the switcher in the header (a cookie)
    and remembered on the account for e-mails.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            user = getattr(request, "user", None)
            language = getattr(user, "language", None) if user and user.is_authenticated else None
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityGuardMiddleware:
    """Small protections Django's SecurityMiddleware does not offer.

    - A request body larger than `MAX_REQUEST_BYTES` is refused with 413 before any
      view or upload handler reads it (the proxy should cap it too): a translated page
      saying both sizes ("6,3 MB; the limit is 6 MB"), JSON for a script that asks for it.
    - `Permissions-Policy` turns off browser features no page of ours uses, so an
      injected script could not use them either.
    - Private pages (any page a signed-in person gets, and every page under
      `PRIVATE_PATH_PREFIXES` such as /me/, /employers/, /admin/) are sent with
      `Cache-Control: no-store, private`: phones and internet-café PCs are shared, and
      neither the browser's back button nor a proxy may show one person's page to the next.
    """

    PRIVATE_PATH_PREFIXES = ("/me/", "/employers/", "/admin/", "/staff/", "/documents/")

    PERMISSIONS_POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "MAX_REQUEST_BYTES", None)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            from core.views import request_too_large

            response = request_too_large(request, size=length, limit=limit)
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        if self._private(request):
            response.headers["Cache-Control"] = "no-store, private"
            response.headers.pop("Expires", None)
        return response

    def _private(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        return request.path_info.startswith(self.PRIVATE_PATH_PREFIXES)
