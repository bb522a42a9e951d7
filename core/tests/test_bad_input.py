"""Input no form or URL pattern expects gets a 4xx, never a 500."""

import pytest
from django.test import Client, RequestFactory

from core.views import bad_request

pytestmark = pytest.mark.django_db

# Every URL with a code or a token in its path, with a NUL byte (PostgreSQL refuses a NUL
# in a query: a lax converter let it through to the database, a 500).
NUL_PATHS = [
    "/certificates/AB%00CD/",
    "/cohorts/MKT-2026-01%00/selection/",
    "/courses/las-listrik/apply/MKT%00/",
    "/accounts/verify/abc%00def/",
    "/tracer/abc%00/",
    "/email/unsubscribe/abc%00/",
    "/employers/applicants/1/move/inter%00view/",
]


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_byte_in_a_path_is_not_found(path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/certificates/<script>/", "/tracer/a%20b/"])
def test_characters_no_code_has_are_not_found(path):
    assert Client(raise_request_exception=False).get(path).status_code == 404


def test_the_400_page_never_reads_the_body_that_could_not_be_parsed(settings):
    from django.contrib.auth.models import AnonymousUser

    settings.DEBUG = False
    request = RequestFactory().post("/accounts/login/", data={"a": "b"})

    class UnreadableBody(type(request)):
        @property
        def POST(self):  # noqa: N802 - Django's name
            raise AssertionError("the 400 page read request.POST")

    request.__class__ = UnreadableBody
    request.user = AnonymousUser()
    response = bad_request(request, exception=ValueError("bad charset"))
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()


@pytest.mark.parametrize("path", ["/accounts/login/", "/i18n/setlang/", "/accounts/register/"])
def test_a_post_declaring_a_charset_it_does_not_use_is_a_400(path, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    response = client.generic(
        "POST",
        path,
        b"username=a&password=\xff\xfe\xfd",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code in (400, 403)


def test_the_urlconf_names_our_400_view():
    from batang_portal import urls

    assert urls.handler400 == "core.views.bad_request"
