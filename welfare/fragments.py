"""What in welfare makes the job seeker dashboard's cached notices stale (core.fragments):
a register line, the allowance account or its payment (the person's own rows, found after
the commit by one query for all that a transaction wrote), and an intake's cover policy
or funding (the intake)."""

from __future__ import annotations

from core.fragments import (
    cohort_subject,
    fragment_bump,
    fragment_bump_later_for,
    fragment_receivers_connect,
)
from courses.fragments import owners_of_applications

from .models import AllowancePayment, Coverage, CoverPolicy, IntakeFunding, Payee


def _own_row_changed(sender, instance, **kwargs):
    fragment_bump_later_for(owners_of_applications, instance.application_id)


def _intake_changed(sender, instance, **kwargs):
    fragment_bump(cohort_subject(instance.cohort_id))


def connect() -> None:
    own_rows = (Coverage, Payee, AllowancePayment)
    intake_rows = (CoverPolicy, IntakeFunding)
    fragment_receivers_connect(
        [(model, _own_row_changed) for model in own_rows]
        + [(model, _intake_changed) for model in intake_rows]
    )
