"""Every value a person typed is escaped on every staff page, the mail preview included.

The world's records (tests/world.py) get markup in **every** free-text field of every
model the admin shows: names, company names, vacancy titles, motivations, notes, reasons,
addresses, cover notes... (a superset of what job seekers, employers and anonymous
visitors can fill). Then every admin list and change page is opened, and every kind of
message is previewed in the mail log with markup in its context and the recipient's
name. Markup must only ever arrive as text.
"""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from notifications.context import context_encode
from notifications.kinds import CONTEXT_KEYS, Kind
from notifications.tests.factories import NotificationFactory
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

_counter = itertools.count()
# Live markup of any of the payloads (a bold tag, a link, a script): never on a staff page.
RAW = re.compile(r"<b>X\d+|<a href=https://evil\.example|<script>alert\(X", re.I)


def payload(max_length: int | None) -> tuple[str, str]:
    """(value, marker) that fits the field; the marker is what must show escaped."""
    n = next(_counter)
    marker = f"X{n}"
    full = f"<b>{marker}</b><a href=https://evil.example/>click</a><script>alert({marker})</script>"
    if max_length is not None and max_length < len(full):
        full = f"<b>{marker}</b>"
    if max_length is not None and max_length < len(full):
        return "", ""
    return full, marker


def _free_text(field) -> bool:
    """A text field someone types into freely (codes, slugs, generated ids, choices are not)."""
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.choices
        and not field.primary_key
        and not field.unique
        # The password hash is no text anyone reads; poisoning it would log the
        # superuser out (the session hash is derived from it) and prove nothing.
        and field.name != "password"
        and field.editable
        and not any(isinstance(v, RegexValidator) for v in field.validators)
        and (field.max_length or 1000) >= 10
    )


def _poison_every_free_text_field() -> dict[str, str]:
    """Write a payload into each free-text field of each admin model's rows; marker -> where."""
    where = {}
    # A proxy shares its concrete model's rows: poison each table once.
    for model in {m._meta.concrete_model for m in admin.site._registry}:
        fields = [f for f in model._meta.concrete_fields if _free_text(f)]
        if not fields:
            continue
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:5]:
            values = {}
            for field in fields:
                value, marker = payload(field.max_length)
                if value:
                    values[field.attname] = value
                    where[marker] = f"{model._meta.label}.{field.name}"
            model._default_manager.filter(pk=pk).update(**values)
    return where


def _admin_pages():
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield f"{model._meta.label} list", reverse(f"{prefix}_changelist")
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:5]:
            try:
                url = reverse(f"{prefix}_change", args=[pk])
            except NoReverseMatch:
                continue
            yield f"{model._meta.label} #{pk}", url


def _staff_client(group: str) -> Client:
    user = User.objects.create_user(
        f"{group.replace(' ', '.').lower()}@stc.example.com",
        "rahasia-panjang-1",
        full_name=group,
        role=User.Role.STAFF,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def _escaped(marker: str) -> str:
    return f"&lt;b&gt;{marker}&lt;/b&gt;"


def test_every_free_text_field_is_escaped_on_every_admin_page():
    world = build_world()
    where = _poison_every_free_text_field()
    assert len(where) > 40, "the world should have many free-text fields to poison"
    client = Client()
    client.force_login(world.user("superuser"))
    problems, seen = [], set()
    for label, url in _admin_pages():
        response = client.get(url)
        if response.status_code != 200:
            # A redirect (to the login page, say) would show nothing and prove nothing.
            problems.append(f"{label} {url}: {response.status_code}")
            continue
        body = response.content.decode()
        if RAW.search(body):
            problems.append(f"{label} {url}: live markup {RAW.search(body)[0]!r}")
        seen |= {marker for marker in where if _escaped(marker) in body}
    assert not problems, "\n".join(problems)
    # The test proves something only if the fields people fill were shown at all.
    shown = {where[m] for m in seen}
    for field in (
        "accounts.User.full_name",
        "trainees.Trainee.address",
        "placements.Employer.name",
        "placements.Vacancy.title",
        "courses.Application.motivation",
    ):
        assert field in shown, f"{field} was not shown escaped on any admin page"


def _hostile_context(kind: str) -> dict:
    required, optional = CONTEXT_KEYS[kind]
    context = {}
    for key in (*required, *optional):
        if key in ("vacancies",):
            context[key] = [{"title": payload(None)[0], "count": 1, "url": "/x/", "employer": "E"}]
        elif key in ("months", "days", "valid_days", "survey"):
            context[key] = 3
        elif key in ("continues",):
            context[key] = True
        elif key in ("expires_at", "interview_at"):
            context[key] = datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC)
        elif key in ("confirm_by", "deadline", "starts_on", "closes_on"):
            context[key] = datetime.date(2026, 12, 20)
        elif key == "url":
            context[key] = "/me/"
        else:
            context[key] = payload(None)[0]
    return context


@pytest.mark.parametrize("group", [TRAINING_STAFF, PLACEMENT_OFFICER])
def test_the_mail_preview_escapes_every_value_and_shows_no_secret_link(group):
    recipient = User.objects.create_user(
        "korban@example.com", "rahasia-panjang-1", full_name=payload(150)[0]
    )
    rows = [
        NotificationFactory(
            kind=kind,
            recipient=recipient,
            address=recipient.email,
            context=context_encode(_hostile_context(kind)),
        )
        for kind in Kind.values
    ]
    client = _staff_client(group)
    problems = []
    for row in rows:
        response = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
        assert response.status_code == 200, (row.kind, response.status_code)
        body = response.content.decode()
        if RAW.search(body):
            problems.append(f"{row.kind}: live markup {RAW.search(body)[0]!r}")
        for secret in ("/accounts/reset/", "/accounts/verify/", "/tracer/", "/unsubscribe/"):
            if secret in body:
                problems.append(f"{row.kind}: the preview shows a private link {secret}…")
        if "&lt;b&gt;X" not in body:
            problems.append(f"{row.kind}: the preview shows none of the payloads (proves nothing)")
    assert not problems, "\n".join(problems)
