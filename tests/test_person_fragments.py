"""The per-person page cache (core.fragments) on the two dashboards: served from the cache
until what the page shows changes, and fresh after every kind of change.

Transactional: the bumps run when a transaction commits, as in production.
"""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core import fragments
from core.fragments import user_owner
from courses.admissions.services.applications import application_withdraw
from courses.catalogue.services import catalogue_public_cache_bump
from courses.models import ApplicationStatus, Attendance, Program
from courses.tests.factories import (
    ApplicationFactory,
    CohortFactory,
    application_in,
    cohort_running,
    reserve_second,
)
from placements.models import JobApplication
from placements.services.job_applications import job_application_move
from placements.tests.factories import (
    EmployerFactory,
    JobApplicationFactory,
    VacancyFactory,
    employer_account,
    job_seeker,
)
from trainees.tests.factories import StaffFactory, TraineeFactory, pdf_upload, profile_post
from welfare import services
from welfare.tests.factories import IntakeFundingFactory

pytestmark = pytest.mark.django_db(transaction=True)
S = ApplicationStatus
DASHBOARD = "/me/"
EMPLOYER_DASHBOARD = "/employers/"
SHORTLISTED_ID = "Lolos seleksi berkas"


def body_queries(client, path, django_assert_max_num_queries, most):
    with django_assert_max_num_queries(most) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


@pytest.fixture
def reserve_list(client):
    """A one-seat intake ranked: two ahead, `mine` second on the reserve list; logged in."""
    cohort, mine = reserve_second()
    client.force_login(mine.trainee.user)
    return cohort, mine


def test_the_second_visit_is_served_from_the_cache_with_a_working_token(
    reserve_list, django_assert_max_num_queries
):
    cohort, mine = reserve_list
    # The reserve list's first leaves: `mine` is offered the freed seat (a form to post).
    application_withdraw(application=cohort.applications.get(reserve_position=1), actor=None)
    top = cohort.applications.order_by("-written_test_score").first()
    application_withdraw(application=top, actor=None)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(mine.trainee.user)
    first, built = body_queries(browser, DASHBOARD, django_assert_max_num_queries, 40)
    second, served = body_queries(browser, DASHBOARD, django_assert_max_num_queries, 40)
    assert 'data-testid="offer"' in second and second.count("csrfmiddlewaretoken") >= 2
    # The body's queries (applications, timelines, progress, job applications) are gone.
    assert served <= built - 4, (built, served)
    # No stored token: the cached body's forms carry this session's token, and work.
    assert "csrf-token-placeholder" not in second
    # One masked token for the whole response: the frame's forms and the body's alike.
    assert len(set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', second))) == 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second).group(1)
    offer = mine.offers.get()
    response = browser.post(
        offer.get_absolute_url(), {"action": "accept", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == S.CONFIRMED
    # A new session (a new log-in rotates the token) gets the cached body with its own.
    again = Client(enforce_csrf_checks=True)
    again.force_login(mine.trainee.user)
    assert again.get(DASHBOARD).status_code == 200


def test_another_persons_move_on_the_reserve_list_makes_the_page_fresh(client, reserve_list):
    cohort, mine = reserve_list
    assert "Anda nomor 2 dalam daftar cadangan" in client.get(DASHBOARD).content.decode()
    application_withdraw(application=cohort.applications.get(reserve_position=1), actor=None)
    assert "Anda nomor 1 dalam daftar cadangan" in client.get(DASHBOARD).content.decode()


def test_someone_applying_to_the_same_intake_leaves_the_page_cached(
    client, reserve_list, django_assert_max_num_queries
):
    cohort, mine = reserve_list
    client.get(DASHBOARD)
    _, cached = body_queries(client, DASHBOARD, django_assert_max_num_queries, 40)
    ApplicationFactory(cohort=cohort)  # a new applicant: nobody else's card changes
    _, after = body_queries(client, DASHBOARD, django_assert_max_num_queries, 40)
    assert after == cached


def test_own_withdrawal_name_change_and_language_each_show_at_once(client, reserve_list):
    cohort, mine = reserve_list
    client.get(DASHBOARD)
    own_page = mine.get_absolute_url()
    assert (
        'data-testid="application-status">Dibatalkan<' not in client.get(own_page).content.decode()
    )
    application_withdraw(application=mine, actor=mine.trainee.user)
    page = client.get(DASHBOARD).content.decode()
    assert 'data-testid="application-status">Dibatalkan<' in page
    assert 'data-testid="application-status">Dibatalkan<' in client.get(own_page).content.decode()
    user = mine.trainee.user
    user.full_name = "Sekar Ayuningtyas"
    user.save()
    assert "Sekar" in client.get(DASHBOARD).content.decode()
    client.cookies["django_language"] = "en"
    assert "My applications" in client.get(DASHBOARD).content.decode()


def test_a_program_title_changed_by_staff_shows_through_the_catalogue_version(client, reserve_list):
    cohort, mine = reserve_list
    client.get(DASHBOARD)
    program = cohort.program
    Program.objects.filter(pk=program.pk).update(title="Las Listrik SMAW Lanjutan")
    # An update() sends no signal; the catalogue's writes bump its data version.
    catalogue_public_cache_bump()
    assert "Las Listrik SMAW Lanjutan" in client.get(DASHBOARD).content.decode()


def test_a_job_application_moved_by_the_employer_shows_on_both_dashboards(client):
    employer = EmployerFactory()
    hrd = employer_account(employer)
    person = job_seeker()
    vacancy = VacancyFactory(employer=employer, title="Operator Forklift")
    application = JobApplicationFactory(vacancy=vacancy, person=person)
    client.force_login(person)
    assert "Operator Forklift" in client.get(DASHBOARD).content.decode()
    jobs = reverse("placements:job-application-list")
    assert SHORTLISTED_ID not in client.get(jobs).content.decode()
    company = Client()
    company.force_login(hrd)
    before = company.get(EMPLOYER_DASHBOARD).content.decode()
    assert "Operator Forklift" in before
    job_application_move(
        job_application=application,
        employer=employer,
        actor=hrd,
        to=JobApplication.Status.SHORTLISTED,
    )
    after = company.get(EMPLOYER_DASHBOARD).content.decode()
    assert after != before and SHORTLISTED_ID in after
    assert SHORTLISTED_ID in client.get(jobs).content.decode()
    vacancy.title = "Operator Forklift Senior"
    vacancy.save()
    assert "Operator Forklift Senior" in client.get(DASHBOARD).content.decode()
    assert "Operator Forklift Senior" in company.get(EMPLOYER_DASHBOARD).content.decode()


def test_employers_never_see_each_others_cached_dashboard(client):
    ours, theirs = EmployerFactory(), EmployerFactory()
    VacancyFactory(employer=ours, title="Teknisi Listrik")
    VacancyFactory(employer=theirs, title="Juru Las Pipa")
    client.force_login(employer_account(ours))
    assert "Teknisi Listrik" in client.get(EMPLOYER_DASHBOARD).content.decode()
    other = Client()
    other.force_login(employer_account(theirs))
    page = other.get(EMPLOYER_DASHBOARD).content.decode()
    assert "Juru Las Pipa" in page and "Teknisi Listrik" not in page


def test_the_employer_dashboard_follows_the_account_between_companies(
    client, django_assert_max_num_queries
):
    ours, theirs = EmployerFactory(name="PT Kaca Batang"), EmployerFactory()
    VacancyFactory(employer=ours, title="Teknisi Listrik")
    VacancyFactory(employer=theirs, title="Juru Las Pipa")
    hrd = employer_account(ours)
    client.force_login(hrd)
    first, built = body_queries(client, EMPLOYER_DASHBOARD, django_assert_max_num_queries, 30)
    second, served = body_queries(client, EMPLOYER_DASHBOARD, django_assert_max_num_queries, 30)
    assert served == 0 and built > 0, (built, served)  # the body, its title, the account
    assert "<title>PT Kaca Batang ·" in second and "Teknisi Listrik" in second
    # The company's own change shows at once to every account of it.
    ours.name = "PT Kaca Nusantara Batang"
    ours.save()
    assert "<title>PT Kaca Nusantara Batang ·" in client.get(EMPLOYER_DASHBOARD).content.decode()
    # Moved to another company: its dashboard, never the cached one of the first.
    membership = hrd.employer_membership
    membership.employer = theirs
    membership.save()
    page = client.get(EMPLOYER_DASHBOARD).content.decode()
    assert "Juru Las Pipa" in page and "Teknisi Listrik" not in page
    # Removed from every company: refused, not served the body it had.
    membership.delete()
    assert client.get(EMPLOYER_DASHBOARD).status_code == 403


def test_turned_off_the_body_is_built_on_every_request(
    client, reserve_list, settings, django_assert_max_num_queries
):
    settings.PERSON_FRAGMENT_TIMEOUT = 0
    settings.SESSION_USER_CACHE_TIMEOUT = 0  # the account's row would be cached the second time
    _, first = body_queries(client, DASHBOARD, django_assert_max_num_queries, 40)
    _, second = body_queries(client, DASHBOARD, django_assert_max_num_queries, 40)
    assert second == first


def test_the_welfare_notices_follow_the_allowance_account_and_the_intakes_funding(client):
    cohort = CohortFactory()
    IntakeFundingFactory(cohort=cohort, allowance_rule="per_day", allowance_amount=50000)
    seat = application_in(cohort, "confirmed")
    user = seat.trainee.user
    client.force_login(user)
    notice = reverse("welfare:payee-list")
    assert notice in client.get(DASHBOARD).content.decode()
    # The trainee gives the account: the notice goes (a row of theirs).
    services.payee_save(
        application=seat,
        method="bank",
        provider="BRI",
        account_number="001201000123509",
        account_name="Siti Aminah",
        actor=user,
    )
    assert notice not in client.get(DASHBOARD).content.decode()
    # Another intake of theirs starts paying an allowance: a change to the intake.
    other = ApplicationFactory(cohort=CohortFactory(), trainee=seat.trainee, status="confirmed")
    assert notice not in client.get(DASHBOARD).content.decode()
    IntakeFundingFactory(cohort=other.cohort, allowance_rule="lump_sum", allowance_amount=10**6)
    assert notice in client.get(DASHBOARD).content.decode()


def test_the_profile_page_follows_the_form_the_documents_and_the_whatsapp_choice(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    profile = reverse("trainees:profile")
    assert "Profil 13% lengkap" in client.get(profile).content.decode()
    assert client.post(profile, profile_post(major="Teknik Pengelasan")).status_code == 302
    page = client.get(profile).content.decode()
    assert 'value="Teknik Pengelasan"' in page and "Profil 13% lengkap" not in page
    upload = client.post(reverse("trainees:document-upload"), {"kind": "ktp", "file": pdf_upload()})
    assert upload.status_code == 302
    assert reverse("trainees:document-download", args=[trainee.documents.get().pk]) in (
        client.get(profile).content.decode()
    )
    # A form with errors is the answer to that post, never what the next visit shows.
    refused = client.post(profile, profile_post(nik="12"))
    assert refused.status_code == 400
    assert 'value="12"' not in client.get(profile).content.decode()


def test_an_application_page_served_from_the_cache_needs_no_query(
    client, reserve_list, django_assert_max_num_queries
):
    cohort, mine = reserve_list
    url = mine.get_absolute_url()
    first, built = body_queries(client, url, django_assert_max_num_queries, 30)
    second, served = body_queries(client, url, django_assert_max_num_queries, 30)
    assert served == 0, served  # the session, the account and the body all from the cache
    assert built > 0
    title = f"<title>{cohort.program.title} ·"
    assert title in first and title in second
    # Someone else's application is a 404, whether or not its owner's page is cached.
    other = cohort.applications.exclude(pk=mine.pk).first()
    other_client = Client()
    other_client.force_login(other.trainee.user)
    assert other_client.get(other.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert other_client.get(url).status_code == 404
    # The person's own move shows at once.
    application_withdraw(application=mine, actor=mine.trainee.user)
    mine.refresh_from_db()
    assert mine.get_status_display() in client.get(url).content.decode()


def test_ones_own_application_shows_at_once_and_its_bump_needs_no_query(
    client, django_assert_max_num_queries
):
    cohort = CohortFactory()
    client.force_login(job_seeker())
    assert cohort.code not in client.get(DASHBOARD).content.decode()  # now cached
    with django_assert_max_num_queries(30) as apply:
        response = client.post(
            cohort.get_apply_url(),
            {"motivation": "Saya ingin bekerja sebagai operator di kawasan industri Batang."},
        )
    assert response.status_code == 302
    # After the commit, the applicant's and the event's owner are known from the rows the
    # service saved: no query looks the person up again.
    after_commit = [q["sql"] for q in apply.captured_queries]
    after_commit = after_commit[after_commit.index("COMMIT") + 1 :]
    assert not [sql for sql in after_commit if "trainees_trainee" in sql], after_commit
    assert cohort.code in client.get(DASHBOARD).content.decode()


def test_rows_of_many_people_written_in_one_transaction_cost_one_owner_query(
    django_assert_max_num_queries,
):
    """A day's attendance for a whole intake (or a register's lines): the people to bump are
    found by one query after the commit, not one per row, and every one of them is bumped;
    a rolled-back transaction bumps nobody."""
    cohort, _units, days = cohort_running(days=2, units=1)
    seats = [application_in(cohort, "in_training") for _ in range(4)]
    owners = [user_owner(seat.trainee.user_id) for seat in seats]
    staff = StaffFactory()

    def versions():
        return [cache.get(fragments._key_of(owner)) for owner in owners]

    before = versions()
    with django_assert_max_num_queries(40) as captured, transaction.atomic():
        for day in days:
            for seat in seats:
                # By id, as the attendance service writes them: no row to take the
                # person from.
                Attendance.objects.create(
                    day=day, application_id=seat.pk, present=True, recorded_by=staff
                )
    sql = [q["sql"] for q in captured.captured_queries]
    after_commit = sql[sql.index("COMMIT") + 1 :]
    assert len([s for s in after_commit if "courses_application" in s]) == 1, after_commit
    assert all((a or 0) > (b or 0) for a, b in zip(versions(), before, strict=True))

    bumped = versions()
    with pytest.raises(RuntimeError), transaction.atomic():
        Attendance.objects.filter(application=seats[0]).delete()
        raise RuntimeError("rolled back")
    assert versions() == bumped
