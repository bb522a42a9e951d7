"""Security headers, CSP without inline code, cookies, request-size cap, no open redirects."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

ROOT = Path(__file__).resolve().parents[2]


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def test_every_page_carries_a_strict_csp_and_the_usual_headers(client):
    response = client.get(reverse("home"))
    csp = _csp(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_admin_pages_carry_the_csp_too(training_staff_client):
    response = training_staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert _csp(response)["script-src"] == "'self'"


def _template_files():
    roots = [ROOT / "templates", *ROOT.glob("*/templates")]
    for root in roots:
        if ".venv" in root.parts:
            continue
        # E-mails need inline CSS (mail clients ignore stylesheets) and no CSP applies.
        yield from (p for p in root.rglob("*.html") if p.is_file() and "emails" not in p.parts)


INLINE_PATTERNS = {
    "inline <script> (move it to a static .js file)": re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE
    ),
    "<style> element (move it to static/css/)": re.compile(r"<style\b", re.IGNORECASE),
    "style= attribute (use a CSS class)": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "on*= event handler attribute (bind it from a static .js file)": re.compile(
        r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE
    ),
    "javascript: URL": re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.IGNORECASE),
}


def test_no_template_has_inline_scripts_or_styles():
    """The CSP forbids inline code: it would silently not run in the browser."""
    problems = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE_PATTERNS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "Templates break the Content-Security-Policy:\n" + "\n".join(problems)


def test_oversized_request_bodies_are_refused_before_any_view(client):
    response = client.generic(
        "POST",
        reverse("login"),
        data=b"x" * (settings.MAX_REQUEST_BYTES + 1),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413


def test_session_and_csrf_cookies_are_httponly_and_samesite(client):
    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client.post(reverse("login"), {"username": user.email, "password": "rahasia-panjang-1"})
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY


EVIL_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " https://evil.example",
    "http://testserver@evil.example/",
]


def _is_local(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_login_never_redirects_off_site(client, target):
    User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    response = client.post(
        reverse("login") + "?next=" + target,
        {"username": "dewi@example.com", "password": "rahasia-panjang-1", "next": target},
    )
    assert response.status_code == 302
    assert _is_local(response["Location"]), response["Location"]


def test_login_keeps_a_local_next(client):
    User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    response = client.post(
        reverse("login"),
        {"username": "dewi@example.com", "password": "rahasia-panjang-1", "next": "/me/"},
    )
    assert response["Location"] == "/me/"


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": target},
        HTTP_REFERER="https://evil.example/",
    )
    assert response.status_code == 302
    assert _is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_logout_never_redirects_off_site(client, target):
    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client.force_login(user)
    response = client.post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert _is_local(response["Location"]), response["Location"]


def test_pages_served_from_the_public_page_cache_keep_the_security_headers(client):
    first = client.get(reverse("courses:program-list"))
    second = client.get(reverse("courses:program-list"))
    assert first.status_code == second.status_code == 200
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert second[header] == first[header]
