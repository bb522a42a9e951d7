import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from courses.catalogue.selectors import cohort_annotate_status, cohort_status_q
from courses.models import Cohort, CohortStatus, CompetencyUnit, default_local_share

from .factories import CohortFactory, CompetencyUnitFactory, ProgramFactory, TrackFactory

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def wib(*args):
    return datetime.datetime(*args, tzinfo=WIB)


def boundary_cohort(**overrides):
    fields = {
        "registration_opens_at": wib(2026, 3, 1, 8, 0),
        "registration_closes_at": wib(2026, 3, 15, 16, 0),
        "training_start": datetime.date(2026, 3, 23),
        "training_end": datetime.date(2026, 4, 30),
    }
    fields.update(overrides)
    return CohortFactory(**fields)


SECOND = datetime.timedelta(seconds=1)
BOUNDARIES = [
    ("long before opening", wib(2026, 1, 1, 0, 0), CohortStatus.UPCOMING),
    ("a second before opening", wib(2026, 3, 1, 8, 0) - SECOND, CohortStatus.UPCOMING),
    ("the moment it opens", wib(2026, 3, 1, 8, 0), CohortStatus.OPEN),
    ("a second before closing", wib(2026, 3, 15, 16, 0) - SECOND, CohortStatus.OPEN),
    ("the moment it closes", wib(2026, 3, 15, 16, 0), CohortStatus.CLOSED),
    ("last second before training", wib(2026, 3, 22, 23, 59, 59), CohortStatus.CLOSED),
    ("midnight of the first day", wib(2026, 3, 23, 0, 0), CohortStatus.IN_TRAINING),
    ("last second of the last day", wib(2026, 4, 30, 23, 59, 59), CohortStatus.IN_TRAINING),
    ("midnight after the last day", wib(2026, 5, 1, 0, 0), CohortStatus.FINISHED),
]


@pytest.mark.parametrize(("moment", "now", "expected"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_status_at_each_date_boundary_in_python_and_in_sql(moment, now, expected):
    cohort = boundary_cohort()
    assert cohort.status_at(now) == expected
    annotated = cohort_annotate_status(Cohort.objects.filter(pk=cohort.pk), now=now).get()
    assert annotated.status_now == expected
    assert annotated.status == expected
    # The filter conditions agree and exclude each other.
    matching = [
        s for s in CohortStatus if Cohort.objects.filter(cohort_status_q(s, now=now)).exists()
    ]
    assert matching == [expected]


def test_midnight_boundaries_use_jakarta_time_not_utc():
    cohort = boundary_cohort()
    # 2026-03-22 18:00 UTC is already 01:00 on the 23rd in Batang: training has begun.
    utc_evening = datetime.datetime(2026, 3, 22, 18, 0, tzinfo=datetime.UTC)
    assert cohort.status_at(utc_evening) == CohortStatus.IN_TRAINING
    annotated = cohort_annotate_status(Cohort.objects.all(), now=utc_evening).get()
    assert annotated.status_now == CohortStatus.IN_TRAINING


@pytest.mark.parametrize("now", [b[1] for b in BOUNDARIES])
def test_cancelled_cohort_is_cancelled_at_every_moment(now):
    cohort = boundary_cohort(is_cancelled=True)
    assert cohort.status_at(now) == CohortStatus.CANCELLED
    assert cohort_annotate_status(Cohort.objects.all(), now=now).get().status_now == "cancelled"


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        (
            {
                "training_start": datetime.date(2026, 4, 1),
                "training_end": datetime.date(2026, 3, 31),
            },
            "courses_cohort_training_end_after_start",
        ),
        ({"capacity": 0}, "courses_cohort_capacity_positive"),
        (
            {"registration_closes_at": wib(2026, 3, 1, 8, 0)},
            "courses_cohort_registration_closes_after_opening",
        ),
        (
            {"reregistration_deadline": wib(2026, 3, 10, 0, 0)},
            "courses_cohort_reregistration_after_closing",
        ),
        ({"local_share": Decimal("1.50")}, "courses_cohort_local_share_between_0_and_1"),
    ],
)
def test_database_refuses_impossible_cohorts(overrides, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        boundary_cohort(**overrides)  # factories save() without full_clean()


def test_validation_explains_impossible_cohorts_in_indonesian():
    cohort = boundary_cohort()
    cohort.training_end = datetime.date(2026, 3, 1)
    cohort.capacity = 0
    with pytest.raises(ValidationError) as caught:
        cohort.full_clean()
    text = " ".join(caught.value.messages)
    assert "Pelatihan tidak boleh berakhir sebelum dimulai." in text
    assert "Angkatan memerlukan sedikitnya satu kursi." in text


def test_registration_must_close_by_the_first_training_day():
    cohort = boundary_cohort(registration_closes_at=wib(2026, 3, 24, 9, 0))
    with pytest.raises(ValidationError) as caught:
        cohort.full_clean()
    assert "registration_closes_at" in caught.value.message_dict


def test_reregistration_deadline_must_fall_between_closing_and_training():
    cohort = boundary_cohort(reregistration_deadline=wib(2026, 3, 25, 9, 0))
    with pytest.raises(ValidationError) as caught:
        cohort.full_clean()
    assert "reregistration_deadline" in caught.value.message_dict
    cohort.reregistration_deadline = wib(2026, 3, 20, 16, 0)
    cohort.full_clean()


def test_cohort_code_format_is_enforced():
    cohort = boundary_cohort()
    cohort.code = "mekatronika 3"
    with pytest.raises(ValidationError) as caught:
        cohort.full_clean()
    assert "code" in caught.value.message_dict


def test_local_share_defaults_from_settings_and_is_editable(settings):
    assert CohortFactory().local_share == Decimal("0.70")
    settings.STC_LOCAL_SHARE_DEFAULT = 0.8
    assert default_local_share() == Decimal("0.80")
    assert CohortFactory().local_share == Decimal("0.80")
    assert CohortFactory(local_share=Decimal("0.5")).local_share == Decimal("0.5")


def test_reserved_local_seats_round_half_up():
    assert CohortFactory.build(capacity=16, local_share=Decimal("0.70")).reserved_local_seats == 11
    assert CohortFactory.build(capacity=15, local_share=Decimal("0.70")).reserved_local_seats == 11
    assert CohortFactory.build(capacity=16, local_share=Decimal("0")).reserved_local_seats == 0


@pytest.mark.parametrize("code", ["J.620100.004.02", "C.282200.001.01", "D.351100.012.03"])
def test_skkni_codes_in_the_official_format_are_accepted(code):
    unit = CompetencyUnitFactory.build(program=ProgramFactory(), code=code)
    unit.full_clean()


@pytest.mark.parametrize(
    "code", ["J620100.004.02", "j.620100.004.02", "J.62010.004.02", "J.620100.4.2", ""]
)
def test_malformed_skkni_codes_are_refused(code):
    unit = CompetencyUnitFactory.build(program=ProgramFactory(), code=code)
    with pytest.raises(ValidationError) as caught:
        unit.full_clean()
    assert "code" in caught.value.message_dict


def test_a_unit_code_appears_once_per_program():
    unit = CompetencyUnitFactory(code="J.620100.004.02")
    duplicate = CompetencyUnit(program=unit.program, code="J.620100.004.02", title="Lagi")
    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"min_age": 40, "max_age": 30}, "courses_program_age_range"),
        ({"duration_days": 10, "lesson_hours": 101}, "courses_program_jp_per_day"),
        ({"duration_days": 0, "lesson_hours": 0}, "courses_program_duration_positive"),
    ],
)
def test_database_refuses_impossible_programs(overrides, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        ProgramFactory(**overrides)


def test_required_documents_are_limited_to_the_known_kinds_and_kept_in_order():
    program = ProgramFactory(required_documents=["photo", "ktp", "ktp"])
    program.full_clean()
    assert program.required_documents == ["ktp", "photo"]
    assert program.required_document_labels == ["KTP", "Pasfoto"]
    program.required_documents = ["passport"]
    with pytest.raises(ValidationError):
        program.full_clean()


def test_track_name_follows_the_active_language():
    track = TrackFactory(
        name_id="Otomotif Kendaraan Listrik", name_en="Electric-vehicle automotive"
    )
    assert track.name == "Otomotif Kendaraan Listrik"
    with translation.override("en"):
        assert track.name == "Electric-vehicle automotive"
        assert str(track) == "Electric-vehicle automotive"


def test_apply_url_is_the_path_the_registration_flow_will_serve():
    cohort = CohortFactory(program__slug="operator-cnc", code="CNC-2026-02")
    assert cohort.get_apply_url() == "/courses/operator-cnc/apply/CNC-2026-02/"
