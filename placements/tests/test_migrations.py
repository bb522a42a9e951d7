"""The placements data migrations, run as `migrate` runs them (with the app registry)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from placements.models import (
    EmployerEvent,
    PlacementPolicy,
    placement_policy,
    placement_policy_forget,
)

from .factories import EmployerFactory, StaffFactory

pytestmark = pytest.mark.django_db


def migration(name):
    return importlib.import_module(f"placements.migrations.{name}")


def test_the_policy_row_is_created_with_the_values_the_settings_held():
    # Not read from the row the test database was migrated with: a transactional test
    # (or --reuse-db after one) may have emptied the table; run the migration's function.
    PlacementPolicy.objects.all().delete()
    migration("0004_placement_policy").policy_create(apps, None)
    row = PlacementPolicy.objects.get()
    assert (row.pk, row.umk, row.umk_year, row.weekly_cap, row.no_response_days) == (
        1,
        2_708_520,
        2026,
        10,
        14,
    )
    placement_policy_forget()
    assert placement_policy().weekly_cap == 10


def test_the_policy_migration_keeps_a_row_staff_already_edited():
    PlacementPolicy.objects.update_or_create(pk=1, defaults={"umk": 2_900_000, "umk_year": 2027})
    migration("0004_placement_policy").policy_create(apps, None)
    assert PlacementPolicy.objects.get().umk == 2_900_000


def test_every_employer_verified_before_the_history_gets_its_verification_entry():
    staff = StaffFactory()
    verified_on = timezone.now() - datetime.timedelta(days=40)
    by_staff = EmployerFactory(verified_at=verified_on, verified_by=staff)
    by_nobody = EmployerFactory(verified_at=verified_on - datetime.timedelta(days=1))
    unverified = EmployerFactory(verified_at=None)
    EmployerEvent.objects.all().delete()

    migration("0003_event_base").employer_verifications_backfill(apps, None)

    rows = {
        e.employer_id: (e.from_status, e.to_status, e.actor_id, e.created_at)
        for e in EmployerEvent.objects.all()
    }
    assert rows == {
        by_staff.pk: ("unverified", "verified", staff.pk, verified_on),
        by_nobody.pk: ("unverified", "verified", None, by_nobody.verified_at),
    }
    assert unverified.pk not in rows
