import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from courses.catalogue.selectors import cohort_annotate_status
from courses.models import COHORT_CODE_RE, SKKNI_CODE_RE, Cohort, CompetencyUnit, Program, Track

pytestmark = [pytest.mark.django_db, pytest.mark.bulk_data]


def counts():
    return tuple(m.objects.count() for m in (Track, Program, CompetencyUnit, Cohort))


def snapshot():
    return sorted(
        Cohort.objects.values_list(
            "code", "program__slug", "training_start", "registration_closes_at", "capacity"
        )
    )


def test_seed_demo_is_idempotent_and_deterministic():
    call_command("seed_demo", stdout=io.StringIO())
    first_counts, first = counts(), snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first_counts
    assert snapshot() == first


def test_seed_demo_covers_every_track_with_realistic_programs_and_cohorts():
    call_command("seed_demo", stdout=io.StringIO())
    assert Track.objects.count() == 13
    assert set(Track.objects.values_list("name_en", flat=True)) >= {
        "Garment & fashion technology",
        "Electric-vehicle automotive",
        "Languages",
    }
    per_track = Counter(Program.objects.values_list("track__slug", flat=True))
    assert len(per_track) == 13 and all(2 <= n <= 4 for n in per_track.values())
    assert all(
        re.match(SKKNI_CODE_RE, c) for c in CompetencyUnit.objects.values_list("code", flat=True)
    )
    assert all(re.match(COHORT_CODE_RE, c) for c in Cohort.objects.values_list("code", flat=True))
    statuses = Counter(
        cohort_annotate_status(Cohort.objects.all()).values_list("status_now", flat=True)
    )
    assert {"finished", "in_training", "open", "upcoming"} <= set(statuses)
    # Every program has something coming, and demo rows obey the model's own rules.
    for program in Program.objects.prefetch_related("units"):
        program.full_clean()
        assert program.units.all()
    for cohort in Cohort.objects.all():
        cohort.full_clean()


def test_scale_multiplies_programs_and_cohorts_and_keeps_the_base_intakes():
    call_command("seed_demo", stdout=io.StringIO())
    base_programs, base_cohorts = Program.objects.count(), Cohort.objects.count()
    base = snapshot()
    # Scale 2 proves the multiplying as well as 3 did, in half the time of the suite's
    # longest database test.
    call_command("seed_demo", "--scale", "2", stdout=io.StringIO())
    assert Program.objects.count() == 2 * base_programs
    assert 1.5 * base_cohorts <= Cohort.objects.count() <= 2.5 * base_cohorts
    assert set(base) <= set(snapshot())  # the scale-1 intakes are unchanged
    assert Program.objects.filter(title__contains="Kelas Sore").exists()


def test_scale_below_one_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "0")
