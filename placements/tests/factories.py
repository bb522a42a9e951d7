"""Factories for employers, vacancies and job applications.

`VacancyFactory()` is published and open (deadline in three weeks) at a verified
employer; `VacancyFactory(draft=True)` is a fresh draft. `job_seeker()` returns an
account whose profile is complete (documents included), so the gate lets it through.
"""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from courses.tests.factories import TrackFactory
from placements.demand.services import pledge_invite
from placements.models import (
    Employer,
    EmployerMember,
    JobApplication,
    JobApplicationEvent,
    Vacancy,
    VacancyEvent,
)
from trainees.tests.factories import (
    CompleteTraineeFactory,
    DocumentFactory,
    StaffFactory,
    UserFactory,
)

__all__ = [
    "EmployerFactory",
    "EmployerUserFactory",
    "JobApplicationFactory",
    "StaffFactory",
    "TrackFactory",
    "UserFactory",
    "VacancyFactory",
    "DemandFactory",
    "PledgeFactory",
    "employer_account",
    "ended_cohort",
    "graduate",
    "job_seeker",
    "pledge_invite_by_employer",
    "register_data",
    "vacancy_post",
]


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"PT Kaca Batang {n}")
    nib = factory.Sequence(lambda n: f"{9120000000000 + n:013d}")
    sector = "glass"
    zone = "kitb"
    address = "Kawasan Industri Terpadu Batang, Gringsing"
    contact_person = "Budi Santoso"
    phone = "+62285391234"
    email = factory.Sequence(lambda n: f"hrd{n}@kaca.example.com")
    verified_at = factory.LazyFunction(timezone.now)


class EmployerUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"hrd{n}@perusahaan.example.com")
    full_name = factory.Sequence(lambda n: f"Staf HRD {n}")
    role = User.Role.EMPLOYER


def employer_account(employer=None, **employer_kwargs) -> User:
    """An employer account acting for `employer` (a new verified one by default)."""
    employer = employer or EmployerFactory(**employer_kwargs)
    user = EmployerUserFactory()
    EmployerMember.objects.create(user=user, employer=employer)
    return user


def _in_weeks(n):
    return timezone.localdate() + datetime.timedelta(weeks=n)


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Vacancy.Status.DRAFT, published_at=None)

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Operator Produksi {n}")
    description = "Mengoperasikan mesin produksi.\nKerja shift, 40 jam per minggu."
    employment_type = Vacancy.EmploymentType.PKWT
    openings = 3
    salary_min = 2_800_000
    salary_max = 3_200_000
    work_location = "KITB, Gringsing"
    zone = "kitb"
    deadline = factory.LazyFunction(lambda: _in_weeks(3))
    status = Vacancy.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tracks(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tracks.set(extracted)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            VacancyEvent.objects.create(vacancy=obj, to_status=obj.status)


def job_seeker(**trainee_kwargs) -> User:
    """A job seeker whose profile is complete, KTP and ijazah uploaded."""
    trainee = CompleteTraineeFactory(**trainee_kwargs)
    DocumentFactory(trainee=trainee, kind="ktp")
    DocumentFactory(trainee=trainee, kind="ijazah")
    return trainee.user


class JobApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobApplication
        skip_postgeneration_save = True

    vacancy = factory.SubFactory(VacancyFactory)
    person = factory.SubFactory(UserFactory)
    cover_note = "Saya lulusan SMK dan siap bekerja shift."

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            JobApplicationEvent.objects.create(
                job_application=obj, to_status=obj.status, actor=obj.person
            )


# ------------------------------------------------------------------- demand, pledges


def ended_cohort(**kwargs):
    """An intake whose training ended ten days ago."""
    from courses.tests.factories import CohortFactory

    today = timezone.localdate()
    now = timezone.now()
    defaults = {
        "registration_opens_at": now - datetime.timedelta(days=120),
        "registration_closes_at": now - datetime.timedelta(days=90),
        "training_start": today - datetime.timedelta(days=60),
        "training_end": today - datetime.timedelta(days=10),
    }
    defaults.update(kwargs)
    return CohortFactory(**defaults)


def graduate(cohort, *, consent=True, local=True, status="passed", **trainee_kwargs) -> User:
    """A job seeker with an application in `cohort` (passed by default) who agreed to be
    found by employers (`consent`), living in Kabupaten Batang unless `local=False`."""
    from courses.tests.factories import ApplicationFactory
    from placements.models import JobSeekerPreference

    if not local:
        trainee_kwargs.update(regency="other", kecamatan="", domicile_in_batang=False)
    trainee = CompleteTraineeFactory(**trainee_kwargs)
    ApplicationFactory(trainee=trainee, cohort=cohort, status=status)
    JobSeekerPreference.objects.create(user=trainee.user, discoverable=consent)
    return trainee.user


class PledgeFactory(factory.django.DjangoModelFactory):
    """An accepted pledge of 3 seats for an intake that ends in two months."""

    class Meta:
        model = "placements.Pledge"
        skip_postgeneration_save = True

    class Params:
        offered = factory.Trait(status="offered")
        interview = factory.Trait(kind="interview_all", seats=None)

    employer = factory.SubFactory(EmployerFactory)
    cohort = factory.SubFactory("courses.tests.factories.CohortFactory")
    kind = "seats"
    seats = 3
    wage_min = 2_900_000
    wage_max = 3_300_000
    start_from = factory.LazyAttribute(lambda o: o.cohort.training_end)
    start_until = factory.LazyAttribute(
        lambda o: o.cohort.training_end + datetime.timedelta(days=60)
    )
    local_share = 70
    status = "accepted"
    status_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            obj.events.create(from_status="", to_status=obj.status)


def pledge_invite_by_employer(pledge, person, message="x"):
    """`person` invited through `pledge` by a new account of the pledging employer."""
    return pledge_invite(
        pledge=pledge,
        employer=pledge.employer,
        person=person,
        actor=employer_account(pledge.employer),
        message=message,
    )


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "placements.DemandStatement"

    employer = factory.SubFactory(EmployerFactory)
    track = factory.SubFactory(TrackFactory)
    quarter = factory.LazyFunction(
        lambda: f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}"
    )
    headcount = 10
    min_education = "smk"
    wage_min = 2_900_000
    wage_max = 3_400_000
    skills = "Membaca gambar teknik, K3"


def register_data(**overrides):
    data = {
        "full_name": "Sari Wulandari",
        "account_email": "Sari@KacaBatang.example.com",
        "password": "kaca-bening-2026",
        "name": "PT Kaca Bening Batang",
        "nib": "9120 1234 5678 9",
        "sector": "glass",
        "zone": "kitb",
        "address": "KITB Blok A3, Gringsing",
        "contact_person": "Sari Wulandari",
        "phone": "0285-391234",
        "email": "hrd@kacabatang.example.com",
    }
    data.update(overrides)
    return data


def vacancy_post(**overrides):
    data = {
        "title": "Operator Cutting Kaca",
        "description": "<script>alert(1)</script>\nMemotong lembaran kaca.",
        "employment_type": "pkwt",
        "openings": "4",
        "min_education": "smk",
        "required_program": "",
        "salary_min": "Rp 2.500.000",
        "salary_max": "3.000.000",
        "work_location": "KITB Blok A3",
        "zone": "kitb",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data
