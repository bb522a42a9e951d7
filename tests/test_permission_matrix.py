"""Every route × every role, from the URLconf and the table in tests/permission_matrix.py.

- A named route without an entry in `ROUTES` fails (with the snippet to add), and so does
  an entry whose route no longer exists.
- For each route and role, the answer must be the declared one, never a 500.
- A 4xx answer or a log-in redirect never contains another person's data.
- The Django admin is covered by a rule: nobody but staff gets past its log-in; staff
  reach what their group allows; nothing answers 500.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.html_forms import page_forms
from tests.permission_matrix import LOGIN, NON_STAFF, ROLES, ROUTES, Route

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def url_table() -> dict[str, list[str]]:
    """URL name -> route patterns (a name can appear twice when one shadows another)."""
    table: dict[str, list[str]] = {}
    for name, route in _walk(get_resolver().url_patterns):
        table.setdefault(name, []).append(route)
    return table


def _is_admin(name: str | None, route: str) -> bool:
    return (name or "").startswith("admin:") or route.startswith("admin/")


SITE_ROUTES = sorted(n for n, r in url_table().items() if n and not _is_admin(n, r[0]))
ADMIN_ROUTES = sorted(n for n, r in url_table().items() if n and _is_admin(n, r[0]))


def _snippet(name: str, route: str) -> str:
    kwargs = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs_line = ""
    if kwargs:
        pairs = ", ".join(f'"{k}": w.obj("<A\'s object>").pk' for k in kwargs)
        kwargs_line = f"        kwargs=lambda w: {{{pairs}}},\n"
    return (
        f'    "{name}": Route(\n{kwargs_line}'
        f'        get={{**only("seeker_a", "staff", "superuser"), "seeker_b": NOT_FOUND}},\n'
        f"    ),"
    )


def test_every_route_has_an_entry_in_the_permission_matrix():
    table = url_table()
    missing = [n for n in SITE_ROUTES if n not in ROUTES]
    unnamed = [r[0] for n, r in table.items() if n is None for r0 in r if not _is_admin(n, r0)]
    stale = [n for n in ROUTES if n not in table]
    messages = []
    if missing:
        messages.append(
            "Routes without an entry in the permission matrix. Add one per route to ROUTES "
            "in tests/permission_matrix.py (what each role may do; see its docstring), e.g.:\n"
            + "\n".join(_snippet(n, table[n][0]) for n in missing)
        )
    if unnamed:
        messages.append(
            "Routes without a name (give them `name=` so the matrix can list them): "
            + ", ".join(unnamed)
        )
    if stale:
        messages.append(
            "Entries in tests/permission_matrix.py ROUTES for routes that no longer exist: "
            + ", ".join(stale)
        )
    assert not messages, "\n\n".join(messages)


def _client_for(world, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def _resolve(value, world):
    return value(world) if callable(value) else dict(value)


def _check(response, expected) -> str | None:
    """None when the response matches the expected outcome, else a description."""
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return f"server error {status}"
    if expected == LOGIN:
        if status == 302 and urlsplit(location).path == reverse("login"):
            return None
        return f"expected a redirect to the log-in page, got {status} {location}"
    if isinstance(expected, str) and expected.startswith("redirect-prefix:"):
        prefix = expected.split(":", 1)[1]
        if status in (301, 302, 303) and urlsplit(location).path.startswith(prefix):
            return None
        return f"expected a redirect under {prefix}, got {status} {location}"
    if isinstance(expected, str) and expected.startswith("redirect:"):
        target = expected.split(":", 1)[1]
        target_path = target if target.startswith("/") else reverse(target)
        if status in (301, 302, 303) and urlsplit(location).path == target_path:
            return None
        return f"expected a redirect to {target_path}, got {status} {location}"
    if status != expected:
        return f"expected {expected}, got {status} {location}".rstrip()
    return None


def _leaks(response, world, role) -> list[str]:
    if response.status_code < 400 and not (
        response.status_code == 302
        and urlsplit(response.get("Location", "")).path == reverse("login")
    ):
        return []
    if getattr(response, "streaming", False):
        return ["a streamed body on a refusal"]
    body = response.content.decode(errors="replace")
    return [s for s in world.secrets_of_others(role) if s and s in body]


def cases(name: str) -> list[Route]:
    entry = ROUTES[name]
    return list(entry) if isinstance(entry, list | tuple) else [entry]


CASES = [
    pytest.param(name, index, id=f"{name}#{index}" if len(cases(name)) > 1 else name)
    for name in SITE_ROUTES
    if name in ROUTES
    for index in range(len(cases(name)))
]


@pytest.mark.parametrize(("name", "index"), CASES)
def test_route_answers_each_role_as_declared(name, index, world):
    route: Route = cases(name)[index]
    kwargs = _resolve(route.kwargs, world)
    url = reverse(name, kwargs=kwargs or None)
    problems = []
    for method, table in (("GET", route.get), ("POST", route.post)):
        if table is None:
            continue
        missing_roles = set(ROLES) - set(table)
        assert not missing_roles, f"{name} {method}: no outcome for roles {missing_roles}"
        # Writes of A's records go last, so that everyone else meets them intact.
        order = ROLES if method == "GET" else sorted(ROLES, key=lambda r: r.endswith("_a"))
        for role in order:
            client = _client_for(world, role)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, _resolve(route.post_data, world))
            problem = _check(response, table[role])
            if problem:
                problems.append(f"{method} {url} as {role}: {problem}")
            if (
                method == "GET"
                and response.status_code == 200
                and route.fuzz_as is None
                and response.get("Content-Type", "").startswith("text/html")
                and page_forms(response.content.decode(), url)
            ):
                problems.append(
                    f'GET {url} as {role} shows a form: set fuzz_as="{role}" on its entry '
                    "in tests/permission_matrix.py"
                )
            leaked = _leaks(response, world, role)
            if leaked:
                problems.append(f"{method} {url} as {role}: refusal shows others' data {leaked}")
            if role != "anonymous" and not _no_store(response):
                problems.append(f"{method} {url} as {role}: private page may be cached")
    assert not problems, "\n".join(problems)


def _no_store(response) -> bool:
    """A page a signed-in person got: never kept by a shared phone's browser or a proxy."""
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_route_declares_at_least_one_method():
    assert [n for n in ROUTES for r in cases(n) if r.get is None and r.post is None] == []


# --- The admin rule -------------------------------------------------------------------


def _admin_kwargs(name: str, route: str) -> dict[str, str] | None:
    kwargs = {}
    for key in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
        key = key[0] or key[1]
        if key in ("object_id", "id", "pk") or key == "content_type_id":
            kwargs[key] = "1"
        elif key == "app_label":
            kwargs[key] = "accounts"
        elif key == "url":
            kwargs[key] = "no-such-page/"
        elif key == "decision":  # the application's documents: verify or refuse (POST)
            kwargs[key] = "verify"
        elif key == "fmt":  # a download's format
            kwargs[key] = "csv"
        elif key == "form":  # an assessment registration's APL form
            kwargs[key] = "apl01"
        else:
            return None
    return kwargs


def _model_admin_for(name: str):
    match = re.match(r"admin:(\w+?)_(\w+)_(changelist|add)$", name)
    if not match:
        return None, None
    for model, model_admin in admin.site._registry.items():
        if f"{model._meta.app_label}_{model._meta.model_name}" == f"{match[1]}_{match[2]}":
            return model, model_admin
    return None, None


def _admin_group(name: str) -> str:
    match = re.match(r"^(admin:\w+?_\w+?)_(changelist|add|change|delete|history)$", name)
    return match[1] if match else name


ADMIN_GROUPS: dict[str, list[str]] = {}
for _name in ADMIN_ROUTES:
    ADMIN_GROUPS.setdefault(_admin_group(_name), []).append(_name)


@pytest.mark.parametrize("group", sorted(ADMIN_GROUPS))
def test_admin_is_for_staff_only(group, world, rf):
    problems = []
    for name in ADMIN_GROUPS[group]:
        problems += _admin_problems(name, world, rf)
    assert not problems, "\n".join(problems)


def _admin_problems(name, world, rf) -> list[str]:
    route = url_table()[name][0]
    kwargs = _admin_kwargs(name, route)
    if kwargs is None:
        return [f"{name} ({route}): teach _admin_kwargs how to fill its arguments"]
    url = reverse(name, kwargs=kwargs or None)
    problems = []
    for role in ROLES:
        response = _client_for(world, role).get(url)
        status = response.status_code
        if status >= 500:
            problems.append(f"{url} as {role}: server error {status}")
            continue
        if not _no_store(response):
            problems.append(f"{url} as {role}: admin page may be cached")
        if role in NON_STAFF:
            if name == "admin:login":
                allowed = status == 200
            elif name == "admin:logout":
                allowed = status in (302, 405)
            else:
                # Anonymous visitors meet LoginRequiredMiddleware first (the site's log-in),
                # signed-in non-staff the admin's own log-in.
                allowed = status == 302 and urlsplit(response["Location"]).path in (
                    reverse("admin:login"),
                    reverse("login"),
                )
            if not allowed:
                problems.append(f"{url} as {role}: non-staff got {status}")
            leaked = [s for s in world.secrets_of_others(role) if s in response.content.decode()]
            if leaked:
                problems.append(f"{url} as {role}: shows others' data {leaked}")
            continue
        model, model_admin = _model_admin_for(name)
        if model_admin is not None:
            request = rf.get(url)
            request.user = world.user(role)
            action = name.rsplit("_", 1)[1]
            may = (
                model_admin.has_view_or_change_permission(request)
                if action == "changelist"
                else model_admin.has_add_permission(request)
            )
            if status != (200 if may else 403):
                problems.append(f"{url} as {role}: expected {200 if may else 403}, got {status}")
    return problems


def test_staff_without_personal_data_permission_is_still_staff(world):
    """The matrix's staff role is a training-staff member, not a superuser."""
    staff = world.user("staff")
    assert staff.is_staff and not staff.is_superuser
    assert staff.groups.filter(name="Training staff").exists()
