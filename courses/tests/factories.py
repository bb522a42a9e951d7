"""Factories for tracks, programs, units and cohorts.

`CohortFactory()` is open for registration now: opened a week ago, closes in a week,
training starts in three weeks and lasts five.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from courses.admissions.services.selection import cohort_selection_plan, cohort_selection_run
from courses.models import Certificate, Cohort, CompetencyUnit, Program, SeatOffer, Track
from courses.training.services.attendance import attendance_mark


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


def scored(cohort, score, **kwargs):
    """An application with verified documents and `score` in the written test and the
    interview, ready to be ranked."""
    return application_in(
        cohort,
        "documents_verified",
        written_test_score=Decimal(score),
        interview_score=Decimal(score),
        **kwargs,
    )


def selection_run_early(cohort):
    """Preview and run the selection of `cohort` while its registration is still open (the
    factory's cohorts are), as staff may with a reason."""
    plan = cohort_selection_plan(cohort=cohort)
    return cohort_selection_run(
        cohort=cohort, actor=None, fingerprint=plan.fingerprint, early_reason="open in this test"
    )


def reserve_second():
    """A one-seat intake ranked: two ahead, `mine` second on the reserve list (written test
    70, interview 60). Returns `(cohort, mine)`."""
    cohort = CohortFactory(capacity=1, reserve_size=3)
    for score in (90, 80):
        scored(cohort, score)
    mine = application_in(
        cohort, "documents_verified", written_test_score=Decimal(70), interview_score=Decimal(60)
    )
    selection_run_early(cohort)
    return cohort, mine


def cohort_dated(*, started, ends, registration=(60, 30), **kwargs):
    """A cohort whose training started `started` days ago and ends in `ends` days
    (negative: it ended that many days ago); its registration opened and closed
    `registration` days ago."""
    now, today = timezone.now(), _today()
    opened, closed = registration
    return CohortFactory(
        registration_opens_at=now - datetime.timedelta(days=opened),
        registration_closes_at=now - datetime.timedelta(days=closed),
        training_start=today - datetime.timedelta(days=started),
        training_end=today + datetime.timedelta(days=ends),
        **kwargs,
    )


def bulk_catalogue(
    programs: int, *, cohorts_per_program: int = 2, units_per_program: int = 3, prefix: str = "B"
):
    """Create `programs` published programs in 3 tracks, each with units and open cohorts,
    in a handful of queries (for query-count tests at large sizes)."""
    tracks = [TrackFactory() for _ in range(3)]
    created = Program.objects.bulk_create(
        [
            Program(
                track=tracks[i % 3],
                code=f"{prefix}{i}",
                title=f"Program Massal {i:04d}",
                slug=f"{prefix.lower()}-program-massal-{i}",
                summary="Ringkasan.",
                duration_days=35,
                lesson_hours=280,
                min_education="sma" if i % 2 else "",
                is_published=True,
            )
            for i in range(programs)
        ]
    )
    created = list(Program.objects.filter(code__startswith=prefix).order_by("pk"))
    CompetencyUnit.objects.bulk_create(
        [
            CompetencyUnit(program=p, code=f"J.620100.{u:03d}.01", title=f"Unit {u}", position=u)
            for p in created
            for u in range(units_per_program)
        ]
    )
    now = timezone.now()
    today = _today()
    Cohort.objects.bulk_create(
        [
            Cohort(
                program=p,
                code=f"{prefix}{p.pk}X-2026-{c + 1:02d}",
                registration_opens_at=now - datetime.timedelta(days=3),
                registration_closes_at=now + datetime.timedelta(days=7 + c),
                training_start=today + datetime.timedelta(days=21 + c),
                training_end=today + datetime.timedelta(days=60 + c),
            )
            for p in created
            for c in range(cohorts_per_program)
        ]
    )
    return created


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application (with its first timeline event)."""

    class Meta:
        model = "courses.Application"
        skip_postgeneration_save = True

    trainee = factory.SubFactory("trainees.tests.factories.CompleteTraineeFactory")
    cohort = factory.SubFactory(CohortFactory)
    motivation = "Saya ingin bekerja di kawasan industri Batang setelah pelatihan."

    @factory.post_generation
    def events(obj, create, extracted, **kwargs):
        if create:
            obj.events.create(from_status="", to_status=obj.status, actor=obj.trainee.user)


# ------------------------------------------------------------- selection and training


def local_trainee(**kwargs):
    """A complete profile of a resident of Kabupaten Batang (Kandeman)."""
    from trainees.tests.factories import CompleteTraineeFactory

    return CompleteTraineeFactory(**kwargs)


def outside_trainee(**kwargs):
    """A complete profile of someone living outside Batang (Kabupaten Pekalongan)."""
    from trainees.tests.factories import CompleteTraineeFactory

    values = {"regency": "3326", "kecamatan": "", "domicile_in_batang": False}
    values.update(kwargs)
    return CompleteTraineeFactory(**values)


def application_in(cohort, status="submitted", *, local=True, **kwargs):
    """An application already in `status` (set directly: test set-up, not the door)."""
    trainee = local_trainee() if local else outside_trainee()
    facts = {"domicile_in_batang": local}
    return ApplicationFactory(cohort=cohort, trainee=trainee, status=status, facts=facts, **kwargs)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A training certificate issued today, its facts copied from the application."""

    class Meta:
        model = Certificate

    application = factory.SubFactory(ApplicationFactory, status="passed")
    number = factory.LazyAttribute(
        lambda o: f"STC-BTG/{o.application.cohort.code}/{o.application.pk:03d}"
    )
    code = factory.Sequence(lambda n: f"TEST{n:08d}")
    holder_name = factory.LazyAttribute(lambda o: o.application.trainee.user.full_name)
    program_title = factory.LazyAttribute(lambda o: o.application.cohort.program.title)
    cohort_code = factory.LazyAttribute(lambda o: o.application.cohort.code)
    training_start = factory.LazyAttribute(lambda o: o.application.cohort.training_start)
    training_end = factory.LazyAttribute(lambda o: o.application.cohort.training_end)
    lesson_hours = factory.LazyAttribute(lambda o: o.application.cohort.program.lesson_hours)
    attendance_percent = 95
    issued_on = factory.LazyFunction(_today)


def cohort_running(*, days=3, units=2, **kwargs):
    """A cohort that started `days` days ago with a training day held on each of them and
    `units` competency units: `(cohort, units, days)`."""
    cohort = cohort_dated(started=days, ends=30, **kwargs)
    units = [CompetencyUnitFactory(program=cohort.program, position=n) for n in range(units)]
    days = [
        TrainingDayFactory(cohort=cohort, date=cohort.training_start + datetime.timedelta(n))
        for n in range(days)
    ]
    return cohort, units, days


def over_offered_cohort(offers=3):
    """One seat free but `offers` open seat offers to reserves: staff lowered the capacity
    after they went out (the admin allows it). Returns `(reserves, offers)`."""
    cohort = CohortFactory(capacity=offers + 1)
    application_in(cohort, "confirmed")
    reserves = [application_in(cohort, "reserve", reserve_position=n) for n in range(offers)]
    expires = timezone.now() + datetime.timedelta(hours=48)
    made = [
        SeatOffer.objects.create(application=a, cohort=cohort, expires_at=expires) for a in reserves
    ]
    Cohort.objects.filter(pk=cohort.pk).update(capacity=2)
    return reserves, made


def attendance_tap(day, application, *, actor, present=True):
    """`actor` taps `application` present (or absent) on the roster of `day`."""
    return attendance_mark(
        cohort=day.cohort,
        day_id=day.pk,
        application_id=application.pk,
        present=present,
        actor=actor,
    )


class TrainingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.TrainingDay"

    cohort = factory.SubFactory(CohortFactory)
    date = factory.LazyAttribute(lambda o: o.cohort.training_start)


# ------------------------------------------------------------------ certification


class CredentialSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.CredentialScheme"

    code = factory.Sequence(lambda n: f"scheme-{n}")
    name = factory.Sequence(lambda n: f"SIO Operator Forklift {n}")
    kind = "k3_licence"
    issuer = "Kemnaker"
    validity_months = 36
    renewal_lead_days = 30
    renewal_requirements = "Surat keterangan sehat\nSurat pengalaman kerja"


class SchemeUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.SchemeUnit"

    scheme = factory.SubFactory(CredentialSchemeFactory)
    code = factory.Sequence(lambda n: f"M.711000.{n % 1000:03d}.01")
    title = factory.Sequence(lambda n: f"Unit {n}")
    position = factory.Sequence(lambda n: n)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Assessment"

    scheme = factory.SubFactory(CredentialSchemeFactory, kind="bnsp", issuer="BNSP")
    lsp = "LSP P3 Logistik Indonesia"
    tuk = "TUK STC Batang"
    date = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=14))
    assessors = "Budi Santoso (MET.000.001234 2020)"
    seats = 10


class CredentialFactory(factory.django.DjangoModelFactory):
    """A recorded credential (set directly: test set-up, not the service)."""

    class Meta:
        model = "courses.Credential"

    scheme = factory.SubFactory(CredentialSchemeFactory)
    holder = factory.SubFactory("trainees.tests.factories.CompleteTraineeFactory")
    holder_name = factory.LazyAttribute(lambda o: o.holder.user.full_name)
    number = factory.Sequence(lambda n: f"SIO/2025/{n:05d}")
    issuer = "Kemnaker"
    issued_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=400))
    expires_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=600))
    code = factory.Sequence(lambda n: f"CRED{n:06d}")


def eligible_trainee_create(**kwargs):
    """A job seeker who meets every rule of a default cohort: complete profile, KTP, ijazah."""
    from trainees.tests.factories import CompleteTraineeFactory, DocumentFactory

    trainee = CompleteTraineeFactory(**kwargs)
    DocumentFactory(trainee=trainee, kind="ktp")
    DocumentFactory(trainee=trainee, kind="ijazah")
    return trainee
