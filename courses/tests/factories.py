"""Factories for tracks, programs, units and cohorts.

`CohortFactory()` is open for registration now: opened a week ago, closes in a week,
training starts in three weeks and lasts five.
"""

import datetime

import factory
from django.utils import timezone

from courses.models import Cohort, CompetencyUnit, Program, Track


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kejuruan-{n}")
    name_id = factory.Sequence(lambda n: f"Kejuruan {n}")
    name_en = factory.Sequence(lambda n: f"Track {n}")
    description_id = "Deskripsi singkat kejuruan."
    description_en = "Short description of the track."
    position = factory.Sequence(lambda n: n)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    track = factory.SubFactory(TrackFactory)
    code = factory.Sequence(lambda n: f"P{n:04d}")
    title = factory.Sequence(lambda n: f"Program Pelatihan {n}")
    slug = factory.Sequence(lambda n: f"program-pelatihan-{n}")
    summary = "Pelatihan berbasis kompetensi untuk kebutuhan industri."
    description = "Deskripsi lengkap program."
    duration_days = 35
    lesson_hours = 280
    min_age = 17
    max_age = 35
    is_published = True


class CompetencyUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyUnit

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"J.620100.{n % 1000:03d}.01")
    title = factory.Sequence(lambda n: f"Unit Kompetensi {n}")
    position = factory.Sequence(lambda n: n)


def _today():
    return timezone.localdate()


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"T{n}-2026-01")
    registration_opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=7)
    )
    registration_closes_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=7)
    )
    training_start = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=21))
    training_end = factory.LazyAttribute(lambda o: o.training_start + datetime.timedelta(days=34))
    capacity = 16
    location = "Workshop Mekatronika, STC Batang"
    schedule = "Senin–Jumat, 08.00–16.00 WIB"
