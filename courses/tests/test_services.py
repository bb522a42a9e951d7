import datetime
import zoneinfo

import pytest

from courses.catalogue.selectors import (
    cohort_annotate_seats,
    cohort_count_seats_taken,
    cohort_list_open,
    cohort_list_upcoming,
)
from courses.catalogue.services import cohort_copy_to_next_intake
from courses.errors import CohortError
from courses.models import Cohort

from .factories import CohortFactory, ProgramFactory

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=WIB)


def intake(code="MKT-2026-03", **overrides):
    fields = {
        "code": code,
        "registration_opens_at": datetime.datetime(2026, 2, 16, 8, 0, tzinfo=WIB),
        "registration_closes_at": datetime.datetime(2026, 3, 6, 16, 0, tzinfo=WIB),
        "reregistration_deadline": datetime.datetime(2026, 3, 11, 15, 0, tzinfo=WIB),
        "training_start": datetime.date(2026, 3, 16),  # a Monday
        "training_end": datetime.date(2026, 4, 17),  # Friday, 5 weeks later
        "capacity": 20,
        "schedule": "Senin–Jumat",
        "uses_written_test": False,
    }
    fields.update(overrides)
    return CohortFactory(**fields)


def test_copy_makes_the_next_intake_after_this_one_ends_on_the_same_weekdays():
    source = intake()
    copy = cohort_copy_to_next_intake(cohort=source, now=NOW)
    assert copy.code == "MKT-2026-04"
    assert copy.program == source.program
    assert copy.training_start == datetime.date(2026, 4, 20)  # 5 weeks on, a Monday
    assert copy.training_end == datetime.date(2026, 5, 22)
    assert copy.registration_opens_at == source.registration_opens_at + datetime.timedelta(weeks=5)
    assert copy.reregistration_deadline == source.reregistration_deadline + datetime.timedelta(
        weeks=5
    )
    assert (copy.capacity, copy.schedule, copy.uses_written_test, copy.local_share) == (
        20,
        "Senin–Jumat",
        False,
        source.local_share,
    )
    assert not copy.is_cancelled


def test_copy_of_a_cancelled_intake_is_not_cancelled():
    copy = cohort_copy_to_next_intake(cohort=intake(is_cancelled=True), now=NOW)
    assert not copy.is_cancelled


def test_copy_into_a_new_year_restarts_the_numbering():
    source = intake(
        code="LAS-2026-07",
        registration_opens_at=datetime.datetime(2026, 11, 2, 8, 0, tzinfo=WIB),
        registration_closes_at=datetime.datetime(2026, 11, 20, 16, 0, tzinfo=WIB),
        reregistration_deadline=None,
        training_start=datetime.date(2026, 11, 30),
        training_end=datetime.date(2026, 12, 31),
    )
    copy = cohort_copy_to_next_intake(cohort=source, now=NOW)
    assert copy.code == "LAS-2027-01"
    assert copy.training_start.year == 2027


def test_copy_of_an_old_intake_lands_in_the_future():
    source = intake(code="CNC-2026-01")
    later = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=WIB)
    copy = cohort_copy_to_next_intake(cohort=source, now=later)
    assert copy.registration_opens_at >= later
    assert copy.training_start.weekday() == source.training_start.weekday()
    assert copy.code == "CNC-2026-02"


def copy_refused(source):
    """Copy `source` to the next intake, which is refused: the CohortError."""
    with pytest.raises(CohortError) as caught:
        cohort_copy_to_next_intake(cohort=source, now=NOW)
    return caught.value


def test_copying_twice_is_refused_with_a_code():
    source = intake()
    cohort_copy_to_next_intake(cohort=source, now=NOW)
    error = copy_refused(source)
    assert error.code == CohortError.NEXT_CODE_TAKEN
    assert "MKT-2026-04" in error.message
    assert Cohort.objects.count() == 2


def test_a_code_outside_the_pattern_cannot_be_copied_automatically():
    source = intake()
    Cohort.objects.filter(pk=source.pk).update(code="ANGKATAN3")  # legacy data
    source.refresh_from_db()
    error = copy_refused(source)
    assert error.code == CohortError.INVALID


def test_a_copy_that_breaks_a_rule_is_refused_and_nothing_is_written():
    source = intake()
    # Legacy data that the model would now refuse: registration closing after the start.
    Cohort.objects.filter(pk=source.pk).update(
        registration_closes_at=datetime.datetime(2026, 3, 20, 16, 0, tzinfo=WIB),
        reregistration_deadline=None,
    )
    source.refresh_from_db()
    error = copy_refused(source)
    assert error.code == CohortError.INVALID
    assert "Pendaftaran harus ditutup sebelum pelatihan dimulai." in error.message
    assert Cohort.objects.count() == 1


# --------------------------------------------------------------------- selectors


def test_seats_taken_is_zero_until_applications_exist():
    cohort = CohortFactory(capacity=16)
    annotated = cohort_annotate_seats(Cohort.objects.all()).get()
    assert (annotated.applicants_count, annotated.seats_taken, annotated.seats_left) == (0, 0, 16)
    assert cohort_count_seats_taken(cohort=cohort) == 0


def test_open_cohorts_are_those_of_published_programs_soonest_closing_first():
    late = CohortFactory(code="A-2026-01")
    early = CohortFactory(
        code="B-2026-01", registration_closes_at=late.registration_closes_at - datetime.timedelta(1)
    )
    CohortFactory(program=ProgramFactory(is_published=False))
    CohortFactory(is_cancelled=True)
    assert list(cohort_list_open()) == [early, late]


def test_upcoming_cohorts_are_those_not_started_including_cancelled():
    program = ProgramFactory()
    coming = CohortFactory(program=program)
    cancelled = CohortFactory(program=program, is_cancelled=True)
    CohortFactory()  # another program
    assert set(cohort_list_upcoming(program=program)) == {coming, cancelled}


def test_copy_keeps_the_legal_basis_and_the_first_day_facts_staff_wrote():
    from courses.catalogue.services import cohort_copy_to_next_intake

    cohort = CohortFactory(
        local_share_basis="Perbup Batang No. 7 Tahun 2027",
        first_day_bring="KTP\nSepatu tertutup",
        contact="Bu Sri, 0812 3456 7890",
    )
    copy = cohort_copy_to_next_intake(cohort=cohort)
    assert (copy.local_share_basis, copy.first_day_bring, copy.contact) == (
        "Perbup Batang No. 7 Tahun 2027",
        "KTP\nSepatu tertutup",
        "Bu Sri, 0812 3456 7890",
    )
