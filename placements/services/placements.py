"""Writes about placements, the job seeker's job preferences and the job board policy."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..errors import PlacementError
from ..models import (
    Employer,
    JobSeekerPreference,
    Placement,
    PlacementPolicy,
    Vacancy,
    placement_policy_forget,
)
from .credentials import placement_licence_request


def placement_record_outside(
    *,
    employer: Employer,
    start_date: datetime.date,
    actor: User,
    person: User | None = None,
    person_name: str = "",
    vacancy: Vacancy | None = None,
    salary: int | None = None,
    note: str = "",
) -> Placement:
    """Staff record a hire made outside the portal (a job fair, a direct call)."""
    person_name = (person_name or "").strip()
    if person is None and not person_name:
        raise PlacementError(
            PlacementError.PERSON_REQUIRED, _("Choose the person's account or write their name.")
        )
    if vacancy is not None and vacancy.employer_id != employer.pk:
        raise PlacementError(
            PlacementError.VACANCY_OF_ANOTHER_EMPLOYER,
            _("The vacancy belongs to another employer."),
        )
    # Not durable: the admin's add view already runs inside a transaction.
    with transaction.atomic():
        placement = Placement.objects.create(
            employer=employer,
            person=person,
            person_name=person_name,
            vacancy=vacancy,
            start_date=start_date,
            salary=salary,
            note=note.strip(),
            source=Placement.Source.OUTSIDE,
            recorded_by=actor,
        )
        placement_licence_request(placement=placement)
    return placement


def job_preference_update(
    *, user: User, job_alerts: bool, discoverable: bool, share_credentials: bool | None = None
) -> JobSeekerPreference:
    """Record what the job seeker agreed to (alerts by e-mail, being found by employers,
    their employers seeing their credentials' expiry)."""
    defaults = {"job_alerts": job_alerts, "discoverable": discoverable}
    if share_credentials is not None:
        defaults["share_credentials"] = share_credentials
    with transaction.atomic(durable=True):
        preference, _created = JobSeekerPreference.objects.update_or_create(
            user=user, defaults=defaults
        )
    return preference


POLICY_FIELDS = ("umk", "umk_year", "weekly_cap", "no_response_days")


def placement_policy_update(*, actor: User, data: dict) -> PlacementPolicy:
    """Staff change the job board's policy (the UMK each year, the weekly cap, ...).

    Takes effect at once in this process and within a minute in the others (the memo
    of `placement_policy`). Not durable: the admin's change form calls it inside its
    own transaction.
    """
    with transaction.atomic():
        policy, _created = PlacementPolicy.objects.select_for_update().get_or_create(pk=1)
        for field in POLICY_FIELDS:
            if field in data:
                setattr(policy, field, data[field])
        policy.full_clean()
        policy.updated_by = actor
        policy.save()
    placement_policy_forget()
    return policy
