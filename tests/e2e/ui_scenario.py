"""The people and objects the UI check looks at, on top of `seed_demo`'s data.

seed_demo fills the catalogue; this adds what the logged-in pages need, with the
project's test factories: a job seeker with a complete profile who applied to one
training cohort and one vacancy, an employer account (verified company) with an open, an applied-to and a
draft vacancy, and a staff superuser. Built once per check run.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tests.e2e.ui_pages import ANONYMOUS, EMPLOYER, JOB_SEEKER, STAFF, TRAINER


@dataclass
class Scenario:
    job_seeker: object
    employer_user: object
    staff: object
    vacancy_open: object
    vacancy_applied: object
    vacancy_draft: object
    job_application: object
    program: object
    cohort_open: object  # open, the job seeker meets every rule and has not applied
    cohort_blocked: object  # open, but the job seeker misses a rule
    application: object  # the job seeker's application to another open cohort
    tracer_survey: object  # a tracer round about that training, for the answer page
    # Selection and training (courses): her open seat offer from a reserve list,
    # her certificate from a finished training, and an intake with a published ranking.
    seat_offer: object = None
    certificate: object = None
    ranked_cohort: object = None
    # Demand and pledges (placements.demand): the employer's demand statement, its
    # accepted pledge for her finished intake (she agreed to be found) and an offered one.
    demand: object = None
    pledge: object = None
    pledge_offered: object = None
    # A trainer with an intake in training and a session today (courses.training).
    trainer: object = None
    trainer_cohort: object = None
    # An application she withdrew: the program page says so (courses).
    withdrawn_application: object = None
    # Her seat in an intake that pays an allowance, no account given yet (welfare).
    allowance_application: object = None

    def user(self, who: str):
        """The account logged in for `who`; None for anonymous."""
        return {
            ANONYMOUS: None,
            JOB_SEEKER: self.job_seeker,
            EMPLOYER: self.employer_user,
            STAFF: self.staff,
            TRAINER: self.trainer,
        }[who]


def build_scenario() -> Scenario:
    from core.choices import DocumentKind
    from courses.admissions.selectors import application_eligibility
    from courses.catalogue.selectors import cohort_list_open, program_list_published
    from courses.tests.factories import ApplicationFactory, CohortFactory
    from placements.tests.factories import (
        EmployerFactory,
        JobApplicationFactory,
        StaffFactory,
        VacancyFactory,
        employer_account,
        job_seeker,
    )
    from reports.tests.factories import TracerSurveyFactory
    from trainees.tests.factories import DocumentFactory

    program = program_list_published(now=timezone.now()).first()
    assert program is not None, "seed_demo made no published program"
    person = job_seeker(user__full_name="Dewi Lestari")
    # Every kind of document, so the programs asking for more than KTP and ijazah let her in.
    held = set(person.trainee.documents.values_list("kind", flat=True))
    for kind in DocumentKind.values:
        if kind not in held:
            DocumentFactory(trainee=person.trainee, kind=kind)
    employer = EmployerFactory(name="PT Kaca Nusantara Batang")
    employer_user = employer_account(employer)
    vacancy_open = VacancyFactory(employer=employer, title="Operator Produksi Kaca")
    vacancy_applied = VacancyFactory(employer=employer, title="Teknisi Perawatan Mesin")
    vacancy_draft = VacancyFactory(employer=employer, title="Staf Gudang", draft=True)
    application = JobApplicationFactory(vacancy=vacancy_applied, person=person)
    # Someone else invited to an interview: the employer's list of upcoming interviews.
    JobApplicationFactory(
        vacancy=vacancy_open,
        person=job_seeker(user__full_name="Rudi Hartono"),
        status="interview",
        interview_at=timezone.now() + datetime.timedelta(days=2),
        interview_place="Kantor HRD, KITB Blok C",
    )
    staff = StaffFactory(is_superuser=True, email="ui-check.staf@example.com")
    open_cohorts = list(cohort_list_open(now=timezone.now()))
    assert open_cohorts, "seed_demo made no cohort open for registration"
    verdicts = {
        c.pk: application_eligibility(trainee=person.trainee, cohort=c).eligible
        for c in open_cohorts
    }
    cohort_open = next((c for c in open_cohorts if verdicts[c.pk]), None)
    if cohort_open is None:  # seed data changed: make one the demo job seeker may join
        cohort_open = CohortFactory(program=program, code="UICHECK-2026-02")
    # Her application is to an intake whose registration closed months ago and whose
    # training is months away: it neither overlaps nor shares a round with the open ones.
    applied_cohort = _intake_closed(
        cohort_open.program, "UICHECK-2026-01", registration=(120, 100), starts_in=200
    )
    course_application = ApplicationFactory(trainee=person.trainee, cohort=applied_cohort)
    _cover(course_application)
    allowance_application = _allowance(person, cohort_open.program)
    tracer_survey = TracerSurveyFactory(application=course_application)
    # Open now, but its training overlaps her application's: the page explains the refusal.
    cohort_blocked = CohortFactory(
        program=cohort_open.program,
        code="UICHECK-2026-03",
        training_start=applied_cohort.training_start + datetime.timedelta(days=7),
    )
    seat_offer, certificate, ranked_cohort = _selection(person, cohort_open.program)
    demand, pledge, pledge_offered = _pledges(employer, certificate, cohort_open)
    trainer, trainer_cohort = _training_today(cohort_open.program)
    # Withdrawn from an intake of the same program, registration closed, training far off.
    withdrawn_application = ApplicationFactory(
        trainee=person.trainee,
        cohort=_intake_closed(
            cohort_open.program, "UICHECK-2026-05", registration=(110, 90), starts_in=250
        ),
        status="withdrawn",
    )
    return Scenario(
        withdrawn_application=withdrawn_application,
        trainer=trainer,
        trainer_cohort=trainer_cohort,
        demand=demand,
        pledge=pledge,
        pledge_offered=pledge_offered,
        seat_offer=seat_offer,
        certificate=certificate,
        ranked_cohort=ranked_cohort,
        job_seeker=person,
        employer_user=employer_user,
        staff=staff,
        vacancy_open=vacancy_open,
        vacancy_applied=vacancy_applied,
        vacancy_draft=vacancy_draft,
        job_application=application,
        program=program,
        cohort_open=cohort_open,
        cohort_blocked=cohort_blocked,
        application=course_application,
        tracer_survey=tracer_survey,
        allowance_application=allowance_application,
    )


def _intake_closed(program, code, *, registration, starts_in, **fields):
    """An intake of `program` whose registration opened and closed `registration` days
    ago and whose training starts in `starts_in` days."""
    from courses.tests.factories import CohortFactory

    now, (opened, closed) = timezone.now(), registration
    return CohortFactory(
        program=program,
        code=code,
        registration_opens_at=now - datetime.timedelta(days=opened),
        registration_closes_at=now - datetime.timedelta(days=closed),
        training_start=timezone.localdate() + datetime.timedelta(days=starts_in),
        **fields,
    )


def _cover(application):
    """An active BPJS cover, so the dashboard shows its notice (welfare)."""
    from welfare.models import Coverage, CoverageStatus, CoverPolicy, Payer

    CoverPolicy.objects.get_or_create(cohort=application.cohort, defaults={"payer": Payer.PEMKAB})
    Coverage.objects.create(
        application=application,
        cohort=application.cohort,
        status=CoverageStatus.ACTIVE,
        kpj_number="26010000001",
        active_from=application.cohort.training_start,
        active_until=application.cohort.training_end,
    )


def _allowance(person, program):
    """A seat in an intake far ahead that pays an allowance per day (welfare): the
    dashboard asks for the account, the allowance pages list it."""
    from courses.tests.factories import ApplicationFactory
    from welfare.models import IntakeFunding, Payer

    cohort = _intake_closed(program, "UICHECK-2026-06", registration=(90, 80), starts_in=420)
    IntakeFunding.objects.create(
        cohort=cohort, source=Payer.PEMKAB, allowance_rule="per_day", allowance_amount=50000
    )
    return ApplicationFactory(trainee=person.trainee, cohort=cohort, status="confirmed")


def _training_today(program):
    """A trainer and their intake in training with a session today: three trainees, one
    marked present, one absent, one not yet."""
    from courses.tests.factories import (
        TrainingDayFactory,
        application_in,
        attendance_tap,
        cohort_dated,
    )
    from trainees.tests.factories import TrainerFactory

    cohort = cohort_dated(
        started=3, ends=30, registration=(60, 40), program=program, code="UICHECK-2026-09"
    )
    day = TrainingDayFactory(
        cohort=cohort, date=timezone.localdate(), topic="Keselamatan kerja (K3)"
    )
    trainer = TrainerFactory(full_name="Rina Wulandari", email="ui-check.pelatih@example.com")
    cohort.trainers.add(trainer)
    trainees = [application_in(cohort, "in_training") for _ in range(3)]
    for application, present in zip(trainees, (True, False), strict=False):
        attendance_tap(day, application, actor=trainer, present=present)
    return trainer, cohort


def _selection(person, program):
    """Her place on a reserve list with an open offer, a certificate, a ranked intake."""
    from courses.models import Application, Cohort, SeatOffer
    from courses.tests.factories import ApplicationFactory, cohort_dated
    from courses.training.services.certificates import certificate_issue_missing

    now = timezone.now()
    full = _intake_closed(
        program, "UICHECK-2026-04", registration=(150, 130), starts_in=300, capacity=1
    )
    reserve = ApplicationFactory(
        trainee=person.trainee, cohort=full, status="reserve", reserve_position=1
    )
    offer = SeatOffer.objects.create(
        application=reserve, cohort=full, expires_at=now + datetime.timedelta(hours=48)
    )
    finished = cohort_dated(
        started=360, ends=-320, registration=(400, 380), program=program, code="UICHECK-2025-09"
    )
    ApplicationFactory(trainee=person.trainee, cohort=finished, status="passed")
    (certificate,) = certificate_issue_missing(cohort=finished, actor=None)
    ranked = (
        Cohort.objects.filter(
            program__is_published=True,
            pk__in=Application.objects.filter(selection_rank__isnull=False).values("cohort"),
        )
        .order_by("code")
        .first()
    )
    return offer, certificate, ranked or finished


def _pledges(employer, certificate, cohort_open):
    """A demand statement; an accepted pledge for the intake she graduated from, with her
    consent to be found; an offered pledge for the open intake."""
    from placements.models import JobSeekerPreference
    from placements.tests.factories import DemandFactory, PledgeFactory

    person = certificate.application.trainee.user
    JobSeekerPreference.objects.update_or_create(user=person, defaults={"discoverable": True})
    finished = certificate.application.cohort
    pledge = PledgeFactory(
        employer=employer,
        cohort=finished,
        start_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    offered = PledgeFactory(employer=employer, cohort=cohort_open, offered=True)
    return DemandFactory(employer=employer), pledge, offered
