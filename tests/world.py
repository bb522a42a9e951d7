"""A small, realistic world for the permission matrix, fuzz and XSS tests.

Two job seekers (A and B), two employers (A and B), two trainers (A and B), a
training-staff member and a superuser, each with the records their role has. Object URLs in the matrix point at A's
records; B's answers prove that ids in URLs do not open other people's data.

Extend `build_world` when an app adds records that belong to someone (profiles,
documents, applications, vacancies, job applications), using that app's factories.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from core.roles import TRAINING_STAFF, account_groups_sync


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    # Strings that identify each role's personal data (name, e-mail, NIK, company).
    secrets: dict[str, list[str]] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return self.users[role]

    def obj(self, name: str):
        try:
            return self.objects[name]
        except KeyError:
            raise KeyError(
                f"World has no object {name!r}: create it in tests/world.py build_world()"
            ) from None

    def secrets_of_others(self, role: str) -> list[str]:
        return [s for other, values in self.secrets.items() if other != role for s in values]


PEOPLE = {
    "seeker_a": ("ayu.anggraini@example.com", "Ayu Anggraini", User.Role.JOB_SEEKER),
    "seeker_b": ("bima.saputra@example.com", "Bima Saputra", User.Role.JOB_SEEKER),
    "employer_a": ("hrd@pt-alfa.example.com", "Agus Prasetyo", User.Role.EMPLOYER),
    "employer_b": ("hrd@pt-beta.example.com", "Bambang Wibowo", User.Role.EMPLOYER),
    "trainer_a": ("pelatih.andi@example.com", "Andi Pelatih", User.Role.TRAINER),
    "trainer_b": ("pelatih.bunga@example.com", "Bunga Pelatih", User.Role.TRAINER),
    "staff": ("staf.pelatihan@example.com", "Sri Rahayu", User.Role.STAFF),
    "superuser": ("admin@example.com", "Admin STC", User.Role.STAFF),
}

PHONES = {"seeker_a": "+6281325000111", "seeker_b": "+6281325000222"}


def build_world() -> World:
    world = World(users={"anonymous": None})
    for role, (email, name, user_role) in PEOPLE.items():
        if role == "superuser":
            user = User.objects.create_superuser(email, None, full_name=name)
        else:
            user = User.objects.create_user(
                email, None, full_name=name, role=user_role, is_staff=(role == "staff")
            )
        if role == "staff":
            user.groups.add(Group.objects.get(name=TRAINING_STAFF))
        account_groups_sync(user)
        world.users[role] = user
        world.secrets[role] = [email, name]
        if role.startswith("seeker_"):
            user.phone = PHONES[role]
            user.save(update_fields=["phone"])
            world.secrets[role].append(PHONES[role])
    _trainees(world)
    _courses(world)
    _placements(world)
    _reports(world)
    _welfare(world)
    return world


def _welfare(world: World) -> None:
    """Seeker A holds a seat in an intake that pays an allowance (A's allowance page)."""
    from courses.tests.factories import ApplicationFactory, CohortFactory
    from welfare.tests.factories import IntakeFundingFactory

    cohort = CohortFactory()
    IntakeFundingFactory(cohort=cohort, allowance_rule="per_day", allowance_amount=50000)
    world.objects["allowance_application_a"] = ApplicationFactory(
        trainee=world.obj("trainee_a"), cohort=cohort, status="confirmed"
    )


def _reports(world: World) -> None:
    """The placement tracer asked seeker A about A's application."""
    from reports.tests.factories import TracerSurveyFactory

    world.objects["tracer_survey_a"] = TracerSurveyFactory(application=world.obj("application_a"))


def _placements(world: World) -> None:
    """Companies A and B with their accounts; A's published and draft vacancies; seeker A
    applied to A's published vacancy."""
    from placements.models import EmployerMember
    from placements.tests.factories import EmployerFactory, JobApplicationFactory, VacancyFactory
    from trainees.tests.factories import DocumentFactory

    for suffix, company in (("a", "PT Alfa Kaca Industri"), ("b", "PT Beta Baja Batang")):
        employer = EmployerFactory(name=company)
        EmployerMember.objects.create(user=world.user(f"employer_{suffix}"), employer=employer)
        world.objects[f"employer_{suffix}"] = employer
        # Company names are public once a vacancy is published; contact data are not.
        world.secrets[f"employer_{suffix}"] += [
            v for v in (employer.email, employer.phone, employer.contact_person) if v
        ]
    world.objects["vacancy_a"] = VacancyFactory(employer=world.objects["employer_a"])
    world.objects["vacancy_a_draft"] = VacancyFactory(
        employer=world.objects["employer_a"], draft=True
    )
    DocumentFactory(trainee=world.obj("trainee_a"), kind="ijazah")
    world.objects["job_application_a"] = JobApplicationFactory(
        vacancy=world.objects["vacancy_a"], person=world.user("seeker_a")
    )
    # Someone else invited to an interview for A's vacancy (A's calendar file).
    from placements.tests.factories import job_seeker

    world.objects["interview_a"] = JobApplicationFactory(
        vacancy=world.objects["vacancy_a"],
        person=job_seeker(),
        status="interview",
        interview_at=timezone.now() + datetime.timedelta(days=3),
        interview_place="Kantor HRD PT Alfa, KITB",
    )
    _demand(world)


def _demand(world: World) -> None:
    """A's demand statement; A's accepted pledge for the intake seeker A graduated from
    (A agreed to be found), and an offered one for the open intake."""
    from placements.models import JobSeekerPreference
    from placements.tests.factories import DemandFactory, PledgeFactory

    employer = world.obj("employer_a")
    world.objects["demand_a"] = DemandFactory(employer=employer)
    world.objects["pledge_a"] = PledgeFactory(
        employer=employer, cohort=world.obj("cohort_finished")
    )
    world.objects["pledge_a_offered"] = PledgeFactory(
        employer=employer, cohort=world.obj("cohort"), offered=True
    )
    JobSeekerPreference.objects.update_or_create(
        user=world.user("seeker_a"), defaults={"discoverable": True}
    )


def _courses(world: World) -> None:
    """A published program with an open cohort, and an unpublished (draft) program;
    seeker A's application for that cohort."""
    from courses.tests.factories import CohortFactory, ProgramFactory

    world.objects["program"] = ProgramFactory(slug="operator-mesin-cnc")
    world.objects["cohort"] = CohortFactory(program=world.objects["program"])
    world.objects["program_draft"] = ProgramFactory(slug="draf-program", is_published=False)
    # Seeker A applied for the open cohort (B has not: B is missing the ijazah).
    from courses.tests.factories import ApplicationFactory

    world.objects["application_a"] = ApplicationFactory(
        trainee=world.obj("trainee_a"), cohort=world.objects["cohort"]
    )
    _selection(world)
    _training(world)


def _training(world: World) -> None:
    """An intake in training with a session today, trainer A assigned (B is not)."""
    import datetime

    from django.utils import timezone

    from courses.tests.factories import CohortFactory, TrainingDayFactory, application_in

    today = timezone.localdate()
    cohort = CohortFactory(
        registration_opens_at=timezone.now() - datetime.timedelta(days=60),
        registration_closes_at=timezone.now() - datetime.timedelta(days=30),
        training_start=today,
        training_end=today + datetime.timedelta(days=30),
    )
    cohort.trainers.add(world.user("trainer_a"))
    world.objects["session_day"] = TrainingDayFactory(cohort=cohort, date=today)
    world.objects["trainee_in_training"] = application_in(cohort, "in_training")
    world.objects["cohort_trained"] = cohort


def _selection(world: World) -> None:
    """Seeker A: on the reserve list of a full cohort with an open seat offer, and a
    graduate of a finished cohort with a certificate. A cohort of the draft program."""
    import datetime

    from django.utils import timezone

    from courses.models import SeatOffer
    from courses.tests.factories import ApplicationFactory, CohortFactory
    from courses.training.services.certificates import certificate_issue_missing

    now = timezone.now()
    world.objects["cohort_draft"] = CohortFactory(program=world.objects["program_draft"])
    full = CohortFactory(program=world.objects["program"], capacity=1)
    reserve = ApplicationFactory(
        trainee=world.obj("trainee_a"), cohort=full, status="reserve", reserve_position=1
    )
    world.objects["offer_a"] = SeatOffer.objects.create(
        application=reserve, cohort=full, expires_at=now + datetime.timedelta(hours=48)
    )
    finished = CohortFactory(
        program=world.objects["program"],
        registration_opens_at=now - datetime.timedelta(days=120),
        registration_closes_at=now - datetime.timedelta(days=90),
        training_start=timezone.localdate() - datetime.timedelta(days=80),
        training_end=timezone.localdate() - datetime.timedelta(days=40),
    )
    ApplicationFactory(trainee=world.obj("trainee_a"), cohort=finished, status="passed")
    (world.objects["certificate_a"],) = certificate_issue_missing(cohort=finished, actor=None)
    world.objects["cohort_finished"] = finished
    _certification(world)


def _certification(world: World) -> None:
    """A's STC certificate in the registry; an assessment ahead for graduates of the
    program (A may register, B may not); A registered for another one."""
    from courses.models import Credential
    from courses.tests.factories import AssessmentFactory

    world.objects["credential_a"] = Credential.objects.get(
        certificate=world.objects["certificate_a"]
    )
    world.objects["assessment"] = AssessmentFactory(program=world.objects["program"])
    # A is registered for another assessment (the APL forms are uploaded to it).
    from courses.models import AssessmentRegistration

    world.objects["registration_a"] = AssessmentRegistration.objects.create(
        assessment=AssessmentFactory(program=None), trainee=world.objects["trainee_a"]
    )


def _trainees(world: World) -> None:
    """Job seekers A and B: complete profiles (distinct NIKs), A and B each with a KTP."""
    from trainees.tests.factories import CompleteTraineeFactory, DocumentFactory

    for suffix in ("a", "b"):
        role = f"seeker_{suffix}"
        trainee = CompleteTraineeFactory(user=world.user(role))
        world.objects[f"trainee_{suffix}"] = trainee
        world.objects[f"document_{suffix}"] = DocumentFactory(trainee=trainee, kind="ktp")
        world.secrets[role].append(trainee.nik)
