"""What in placements changes a person's or an employer's cached pages (core.fragments).

- A job application and its timeline: the job seeker's dashboard lists it, the
  employer's counts it (owners: the person and the vacancy's employer).
- A vacancy: its employer's dashboard, and the dashboards of everyone who applied to it
  (its title and state are on their cards).
- A hire (placement) and the employer's own record: the employer's dashboard.
- An account joining or leaving a company: that account's employer dashboard (stored per
  account, depending on the company's version).
- The placement policy (the no-response days, the UMK): every employer's dashboard,
  through the "vacancies" data version that page depends on.
"""

from __future__ import annotations

from core.fragments import (
    employer_owner,
    fragment_bump,
    fragment_bump_later,
    fragment_receivers_connect,
    user_owner,
)

from .models import (
    Employer,
    EmployerMember,
    JobApplication,
    JobApplicationEvent,
    Placement,
    PlacementPolicy,
    Vacancy,
)
from .services.vacancies import vacancy_public_pages_bump


def owners_of_job_applications(job_application_ids) -> list[str]:
    rows = JobApplication.objects.filter(pk__in=list(job_application_ids)).values_list(
        "person_id", "vacancy__employer_id"
    )
    return [
        owner
        for person, employer in rows
        for owner in (user_owner(person), employer_owner(employer))
    ]


def owners_of_vacancy(vacancy_id: int, employer_id: int) -> list[str]:
    people = JobApplication.objects.filter(vacancy_id=vacancy_id).values_list(
        "person_id", flat=True
    )
    return [employer_owner(employer_id), *(user_owner(p) for p in people)]


def _job_application_changed(sender, instance, **kwargs):
    if sender is JobApplication:
        person, vacancy_id = instance.person_id, instance.vacancy_id
        fragment_bump_later(lambda: [user_owner(person), *_employer_of_vacancy(vacancy_id)])
    else:
        pk = instance.job_application_id
        fragment_bump_later(lambda: owners_of_job_applications([pk]))


def _employer_of_vacancy(vacancy_id: int) -> list[str]:
    employers = Vacancy.objects.filter(pk=vacancy_id).values_list("employer_id", flat=True)
    return [employer_owner(e) for e in employers]


def _vacancy_changed(sender, instance, **kwargs):
    vacancy_id, employer_id = instance.pk, instance.employer_id
    fragment_bump_later(lambda: owners_of_vacancy(vacancy_id, employer_id))


def _employer_changed(sender, instance, **kwargs):
    owner = employer_owner(instance.pk if sender is Employer else instance.employer_id)
    fragment_bump(owner, user_owner(getattr(instance, "person_id", None)))


def _membership_changed(sender, instance, **kwargs):
    # The employer dashboard is stored per account: one joining or leaving a company
    # must not be shown the old one's body.
    fragment_bump(user_owner(instance.user_id))


def _policy_changed(sender, instance, **kwargs):
    vacancy_public_pages_bump()


def connect() -> None:
    receivers = [
        (JobApplication, _job_application_changed),
        (JobApplicationEvent, _job_application_changed),
        (Vacancy, _vacancy_changed),
        (Employer, _employer_changed),
        (EmployerMember, _membership_changed),
        (Placement, _employer_changed),
        (PlacementPolicy, _policy_changed),
    ]
    fragment_receivers_connect(receivers)
