"""Data migration 0005: a number shared by several accounts stays with the oldest."""

import datetime
import importlib
import logging

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from accounts.models import User

migration = importlib.import_module("accounts.migrations.0005_user_email_optional_phone_unique")

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def test_the_oldest_account_keeps_a_shared_number_and_the_change_is_logged(caplog):
    with connection.cursor() as cursor:
        # The constraint the migration adds afterwards (a partial unique index); dropped
        # inside this test's transaction only (PostgreSQL rolls DDL back with it).
        cursor.execute("DROP INDEX accounts_user_phone_unique")
    now = timezone.now()
    made = [
        User.objects.create(email=f"p{i}@example.com", phone="+6281234567890", full_name=str(i))
        for i in range(3)
    ]
    for i, user in enumerate(made):
        User.objects.filter(pk=user.pk).update(date_joined=now - datetime.timedelta(days=3 - i))
    other = User.objects.create(email="q@example.com", phone="+6281200000001")
    with caplog.at_level(logging.WARNING, logger="accounts.migrations"):
        migration.shared_phone_to_oldest(apps, None)
    phones = [User.objects.get(pk=user.pk).phone for user in made]
    assert phones == ["+6281234567890", "", ""]
    assert User.objects.get(pk=other.pk).phone == "+6281200000001"
    (record,) = caplog.records
    message = record.getMessage()
    assert f"kept by account {made[0].pk}" in message
    assert f"{made[1].pk}, {made[2].pk}" in message
    assert "+6281234567890" not in message  # the ids, never the number
