"""The people and objects the UI check looks at, on top of `seed_demo`'s data.

seed_demo fills the catalogue; this adds what the logged-in pages need, with the
project's test factories: a job seeker with a complete profile who applied to one
vacancy, an employer account (verified company) with an open, an applied-to and a
draft vacancy, and a staff superuser. Built once per check run.
"""

from dataclasses import dataclass

from django.utils import timezone

from tests.e2e.ui_pages import ANONYMOUS, EMPLOYER, JOB_SEEKER, STAFF


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

    def user(self, who: str):
        """The account logged in for `who`; None for anonymous."""
        return {
            ANONYMOUS: None,
            JOB_SEEKER: self.job_seeker,
            EMPLOYER: self.employer_user,
            STAFF: self.staff,
        }[who]


def build_scenario() -> Scenario:
    from courses.selectors import program_list_published
    from placements.tests.factories import (
        EmployerFactory,
        JobApplicationFactory,
        StaffFactory,
        VacancyFactory,
        employer_account,
        job_seeker,
    )

    program = program_list_published(now=timezone.now()).first()
    assert program is not None, "seed_demo made no published program"
    person = job_seeker(user__full_name="Dewi Lestari")
    employer = EmployerFactory(name="PT Kaca Nusantara Batang")
    employer_user = employer_account(employer)
    vacancy_open = VacancyFactory(employer=employer, title="Operator Produksi Kaca")
    vacancy_applied = VacancyFactory(employer=employer, title="Teknisi Perawatan Mesin")
    vacancy_draft = VacancyFactory(employer=employer, title="Staf Gudang", draft=True)
    application = JobApplicationFactory(vacancy=vacancy_applied, person=person)
    staff = StaffFactory(is_superuser=True, email="ui-check.staf@example.com")
    return Scenario(
        job_seeker=person,
        employer_user=employer_user,
        staff=staff,
        vacancy_open=vacancy_open,
        vacancy_applied=vacancy_applied,
        vacancy_draft=vacancy_draft,
        job_application=application,
        program=program,
    )
