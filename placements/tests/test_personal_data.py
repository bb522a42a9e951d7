import pytest

from core.personal_data import account_erase, personal_data_collect
from placements.models import JobApplication, JobSeekerPreference

from .factories import JobApplicationFactory, VacancyFactory, employer_account

pytestmark = pytest.mark.django_db
S = JobApplication.Status


def test_export_has_the_job_applications_with_their_history():
    application = JobApplicationFactory(cover_note="Saya siap kerja shift.")
    data = personal_data_collect(user=application.person)["placements"]
    (exported,) = data["job_applications"]
    assert exported["cover_note"] == "Saya siap kerja shift."
    assert [h["to"] for h in exported["history"]] == [S.APPLIED]


def test_erasing_withdraws_what_is_in_progress_and_keeps_anonymised_rows():
    application = JobApplicationFactory(cover_note="Nomor HP saya 0812...")
    person = application.person
    decided = JobApplicationFactory(
        person=person, status=S.NOT_SELECTED, not_selected_reason="Kurang pengalaman, Budi."
    )
    JobSeekerPreference.objects.create(user=person, job_alerts=True)
    counts = account_erase(user=person, actor=person)["placements"]
    assert counts["job_applications_withdrawn"] == 1
    application.refresh_from_db()
    decided.refresh_from_db()
    assert application.status == S.WITHDRAWN and application.cover_note == ""
    assert decided.status == S.NOT_SELECTED and decided.not_selected_reason == "—"
    assert not JobSeekerPreference.objects.filter(user=person).exists()


def test_an_employer_account_erased_no_longer_acts_for_the_company():
    vacancy = VacancyFactory()
    user = employer_account(vacancy.employer)
    account_erase(user=user, actor=user)
    assert not vacancy.employer.members.exists()
    vacancy.refresh_from_db()  # the company and its vacancies stay


def test_invitations_from_pledging_employers_are_exported_and_erased():
    from placements.demand.models import PledgeInvitation

    from .factories import PledgeFactory, ended_cohort, graduate, pledge_invite_by_employer

    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort)
    person = graduate(cohort)
    pledge_invite_by_employer(pledge, person, message="Datang hari Senin")
    (exported,) = personal_data_collect(user=person)["placements"][
        "invitations_from_pledging_employers"
    ]
    assert exported["message"] == "Datang hari Senin" and exported["intake"] == cohort.code
    assert (
        account_erase(user=person, actor=person)["placements"]["pledge_invitations_anonymised"] == 1
    )
    invitation = PledgeInvitation.objects.get()
    assert (invitation.message, invitation.snapshot) == ("", {})
