"""Fuzzing: every form of the portal gets arbitrary input and never answers 500.

The forms are found from the URL table: each entry of tests/permission_matrix.py marked
`fuzz_as` is opened as that role (after its `fuzz_setup`, if any), its forms are
read from the HTML (the permission-matrix test insists that every page with a form is
marked), and hypothesis sends text, numbers, unicode, control characters, huge and empty values, wrong choices
and random files to them. Rate limits and login throttling are off here: the point is
to reach the forms' own checks.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.html_forms import Field, Form, page_forms
from tests.permission_matrix import ROUTES, Route

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

EXAMPLES = 25

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "9" * 40,
    "1e309",
    "NaN",
    "-0",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%s%n",
    "{{ 7*7 }}",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ \u202e\u200b",
    "x" * 100_000,
    "2026-02-30",
    "0000-00-00",
    "3325" * 4,
    "+62" + "8" * 30,
    "@",
    "a@b",
    "ä@ü.example",
]

text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
)

file_values = st.one_of(
    st.binary(max_size=4096),
    st.sampled_from(
        [
            b"",
            b"%PDF-1.7\n" + b"\x00" * 100,
            b"\xff\xd8\xff\xe0" + b"\x00" * 50,
            b"\x89PNG\r\n\x1a\n" + b"\xff" * 50,
            b"MZ\x90\x00" + b"\x00" * 100,
            b"<html><script>alert(1)</script></html>",
        ]
    ),
)


def _field_strategy(field: Field):
    if field.kind == "file":
        value = st.builds(
            lambda content, name: SimpleUploadedFile(name, content),
            file_values,
            st.sampled_from(["ktp.pdf", "foto.jpg", "x.png", "a" * 300 + ".pdf", "..\\..\\x"]),
        )
    elif field.options:
        value = st.one_of(st.sampled_from(field.options), text_values)
    else:
        value = text_values
    if field.name == "csrfmiddlewaretoken":
        return st.just(field.value)
    # None: the field is left out of the request altogether.
    return st.one_of(st.none(), value)


def _form_strategy(form: Form):
    return st.fixed_dictionaries({name: _field_strategy(f) for name, f in form.fields.items()})


FUZZ_CASES = [
    pytest.param(name, index, id=f"{name}#{index}")
    for name, entry in ROUTES.items()
    for index, route in enumerate(entry if isinstance(entry, list) else [entry])
    if route.fuzz_as is not None
]


def _route(name: str, index: int) -> Route:
    entry = ROUTES[name]
    return (entry if isinstance(entry, list) else [entry])[index]


@pytest.fixture
def quiet_limits(settings):
    settings.RATELIMIT_ENABLED = False
    settings.AXES_ENABLED = False


@pytest.mark.usefixtures("quiet_limits")
@pytest.mark.parametrize(("name", "index"), FUZZ_CASES)
def test_forms_never_answer_500(name, index, world):
    route = _route(name, index)
    kwargs = route.kwargs(world) if callable(route.kwargs) else dict(route.kwargs)
    url = reverse(name, kwargs=kwargs or None)
    user = world.user(route.fuzz_as)

    def client() -> Client:
        c = Client(raise_request_exception=False)
        if user is not None:
            c.force_login(user)
        return c

    if route.fuzz_setup is not None:
        route.fuzz_setup(world)
    page = client().get(url)
    assert page.status_code == 200, f"{url} as {route.fuzz_as}: {page.status_code}"
    forms = page_forms(page.content.decode(), url)
    assert forms, f"{name} is marked fuzz_as but {url} has no form for {route.fuzz_as}"

    for form in forms:
        _fuzz(form, client)


# Sent to every field at once before the random examples, so the worst known values are
# always tried (a NUL character is refused by PostgreSQL inside any query).
ALWAYS = ["a\x00b", "x" * 100_000, "", "-1", "<script>alert(1)</script>"]


def _send(form: Form, client, payload: dict):
    if form.method == "get":
        payload = {k: v for k, v in payload.items() if isinstance(v, str)}
        return client().get(form.action, payload)
    return client().post(form.action, payload)


# Bodies whose declared charset lies or does not exist (Django's own 400 view re-read
# such a body and answered 500).
BAD_CHARSETS = ["utf-16", "utf-32", "no-such-charset"]


def _fuzz(form: Form, client) -> None:
    if form.method == "post":
        for charset in BAD_CHARSETS:
            response = client().generic(
                "POST",
                form.action,
                b"a=%ff%fe&b=\xff\xfe\x00",
                content_type=f"application/x-www-form-urlencoded; charset={charset}",
            )
            assert response.status_code < 500, (
                f"{form.action} answered {response.status_code} to charset={charset}"
            )
    for value in ALWAYS:
        payload = {
            name: (f.value if name == "csrfmiddlewaretoken" else value)
            for name, f in form.fields.items()
            if f.kind != "file"
        }
        response = _send(form, client, payload)
        assert response.status_code < 500, f"{form.action} answered {response.status_code}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=_form_strategy(form))
    def post_anything(data):
        payload = {k: v for k, v in data.items() if v is not None}
        response = _send(form, client, payload)
        assert response.status_code < 500, (
            f"{form.action} answered {response.status_code} to {payload!r}"
        )

    post_anything()


# --- Paths ----------------------------------------------------------------------------

PATH_VALUES = ["a%00b", "<script>", "x" * 300, "%ff%fe"]


def _site_routes_with_arguments() -> list[str]:
    from tests.test_permission_matrix import SITE_ROUTES, url_table

    table = url_table()
    return sorted({table[name][0] for name in SITE_ROUTES if "<" in table[name][0]})


@pytest.mark.usefixtures("quiet_limits")
@pytest.mark.parametrize("route", _site_routes_with_arguments())
def test_paths_never_answer_500(route, django_user_model):
    """Every URL argument of every route, filled with what no code or id looks like."""
    import re

    staff = django_user_model.objects.create_superuser("fuzz@example.com", None)
    anonymous, signed_in = (
        Client(raise_request_exception=False),
        Client(raise_request_exception=False),
    )
    signed_in.force_login(staff)
    for value in PATH_VALUES:
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", value, route)
        for method, client in (("GET", anonymous), ("GET", signed_in), ("POST", signed_in)):
            status = client.generic(method, path).status_code
            assert status < 500, f"{method} {path} answered {status}"
