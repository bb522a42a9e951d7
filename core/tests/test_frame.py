"""The frame's header and footer, rendered once per process for each kind of visitor
(core.templatetags.frame): each visitor still gets their own menu, language, path and a
CSRF token of their own session."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from placements.tests.factories import employer_account, job_seeker

pytestmark = pytest.mark.django_db
PAGE = "/me/data/"


def menu(client, path=PAGE) -> str:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_each_kind_of_account_gets_its_own_menu_in_its_language():
    seeker, employer = Client(), Client()
    seeker.force_login(job_seeker())
    employer.force_login(employer_account())
    mine, company = (
        f'href="{reverse(n)}"' for n in ("courses:dashboard", "placements:employer-dashboard")
    )
    for _ in range(2):  # the second round comes from the table
        assert mine in menu(seeker) and company not in menu(seeker)
        assert company in menu(employer) and mine not in menu(employer)
    assert "Keluar" in menu(seeker)
    seeker.cookies["django_language"] = "en"
    assert "Log out" in menu(seeker)
    assert 'value="/me/data/?x=1"' in menu(seeker, PAGE + "?x=1")  # where "Change" returns


def test_the_log_out_form_of_a_stored_header_carries_this_sessions_token():
    people = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(job_seeker())
        header = menu(client)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header).group(1)
        people.append((client, token))
    assert "csrf-token-placeholder" not in header
    for client, token in people:
        response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert client.get(PAGE).status_code == 302  # logged out: back to the log-in page


def test_one_masked_token_serves_a_response_until_the_secret_rotates(rf):
    from django.middleware.csrf import _unmask_cipher_token, rotate_token

    from core.fragments import page_token

    request = rf.get(PAGE)
    first = page_token(request)
    assert page_token(request) == first
    assert _unmask_cipher_token(first) == request.META["CSRF_COOKIE"]
    rotate_token(request)  # a log-in
    rotated = page_token(request)
    assert rotated != first
    assert _unmask_cipher_token(rotated) == request.META["CSRF_COOKIE"]
