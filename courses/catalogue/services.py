"""Writes of the catalogue: the public pages' cache, copying a cohort into the next intake."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import public_cache_bump
from courses.errors import CohortError
from courses.models import COHORT_CODE_RE, Cohort

# Name of the catalogue's pages in the public page cache (core.cache).
CATALOGUE_CACHE = "catalogue"


def catalogue_public_cache_bump() -> None:
    """Make the cached public catalogue pages stale once the current transaction commits.

    Call it from every write that changes what the catalogue, a program page or the home
    page show: tracks, programs, units, cohorts, and the seats taken in a cohort.
    """
    transaction.on_commit(lambda: public_cache_bump(CATALOGUE_CACHE))


COPIED_FIELDS = (
    "program_id",
    "capacity",
    "location",
    "schedule",
    "uses_document_check",
    "uses_written_test",
    "uses_interview",
    "local_share",
    # The legal basis staff corrected, and the first-day facts, hold for the next intake.
    "local_share_basis",
    "first_day_bring",
    "contact",
)


def _intake_shift(cohort: Cohort, now: datetime.datetime) -> datetime.timedelta:
    """How far to move the dates: whole weeks, so the copy keeps the weekdays.

    At least the length of the training (the copy starts after the source ends, when
    the workshop is free), and as many such steps as needed for the copy's registration
    to open in the future: copying last year's intake gives the next one from now.
    """
    length_days = (cohort.training_end - cohort.training_start).days + 1
    step = datetime.timedelta(weeks=-(-length_days // 7))
    shift = step
    while cohort.registration_opens_at + shift < now:
        shift += step
    return shift


def _next_code(cohort: Cohort, training_start: datetime.date) -> str:
    """MKT-2026-03 → MKT-2026-04, or MKT-2027-01 when the copy starts in a new year."""
    match = re.match(COHORT_CODE_RE, cohort.code)
    if match is None:
        raise CohortError(
            CohortError.INVALID,
            _("%(code)s does not follow PROGRAM-YEAR-NUMBER; copy this cohort by hand.")
            % {"code": cohort.code},
        )
    width = len(match["number"])
    same_year = training_start.year == int(match["year"])
    number = int(match["number"]) + 1 if same_year else 1
    return f"{match['prefix']}-{training_start.year}-{number:0{width}d}"


def cohort_copy_to_next_intake(*, cohort: Cohort, now: datetime.datetime | None = None) -> Cohort:
    """Create the next intake of `cohort`'s program: same settings, new code and dates.

    Raises CohortError NEXT_CODE_TAKEN when that intake exists already (copy the latest
    one instead) and INVALID when the copy would break a rule of the model.
    """
    now = now or timezone.now()
    shift = _intake_shift(cohort, now)
    training_start = cohort.training_start + shift
    code = _next_code(cohort, training_start)
    copy = Cohort(
        code=code,
        training_start=training_start,
        training_end=cohort.training_end + shift,
        registration_opens_at=cohort.registration_opens_at + shift,
        registration_closes_at=cohort.registration_closes_at + shift,
        reregistration_deadline=(
            cohort.reregistration_deadline + shift if cohort.reregistration_deadline else None
        ),
        **{field: getattr(cohort, field) for field in COPIED_FIELDS},
    )
    taken = CohortError(
        CohortError.NEXT_CODE_TAKEN,
        _("The next intake %(code)s already exists; copy the latest intake instead.")
        % {"code": code},
    )
    if Cohort.objects.filter(code=code).exists():
        raise taken
    try:
        copy.full_clean()
    except ValidationError as exc:
        raise CohortError(CohortError.INVALID, " ".join(exc.messages)) from exc
    try:
        with transaction.atomic(durable=True):
            copy.save()
            catalogue_public_cache_bump()
    except IntegrityError as exc:
        # Two members of staff copied the same cohort at once: the unique code decides.
        raise taken from exc
    return copy
