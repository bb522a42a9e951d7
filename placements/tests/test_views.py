from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.models import User
from courses.tests.factories import TrackFactory
from notifications.models import Notification
from placements.models import Employer, JobApplication, Vacancy

from .factories import (
    EmployerFactory,
    JobApplicationFactory,
    VacancyFactory,
    employer_account,
    job_seeker,
    register_data,
    vacancy_post,
)

pytestmark = pytest.mark.django_db
S = JobApplication.Status


# --- Employer registration -------------------------------------------------------------


def test_employer_registers_and_is_logged_in_on_the_dashboard(client):
    response = client.post(reverse("placements:employer-register"), register_data())
    assert response.status_code == 302
    assert response.url == reverse("placements:employer-dashboard")
    user = User.objects.get(email="sari@kacabatang.example.com")
    assert user.role == User.Role.EMPLOYER
    employer = Employer.objects.get()
    assert (employer.nib, employer.phone, employer.is_verified) == (
        "9120123456789",
        "+62285391234",
        False,
    )
    assert employer.members.get().user == user
    page = client.get(response.url)
    assert page.status_code == 200
    assert "belum diverifikasi" in page.content.decode()


@pytest.mark.parametrize(
    "nib", ["912012345678", "91201234567890", "91201234567AB", "٩١٢٠١٢٣٤٥٦٧٨٩"]
)
def test_bad_nib_is_refused_with_a_translated_message_and_typed_values_kept(client, nib):
    response = client.post(reverse("placements:employer-register"), register_data(nib=nib))
    assert response.status_code == 400
    body = response.content.decode()
    assert "NIB terdiri dari tepat 13 angka" in body
    assert "PT Kaca Bening Batang" in body
    assert not User.objects.exists()


def test_taken_nib_says_what_to_do(client):
    EmployerFactory(nib="9120123456789")
    response = client.post(reverse("placements:employer-register"), register_data())
    assert response.status_code == 400
    assert "NIB ini sudah terdaftar" in response.content.decode()
    assert User.objects.filter(role=User.Role.EMPLOYER).count() == 0


def test_taken_email_is_refused_without_500(client):
    job_seeker().__class__.objects.filter().update()
    User.objects.create_user("sari@kacabatang.example.com", "x-very-long-1")
    response = client.post(reverse("placements:employer-register"), register_data())
    assert response.status_code == 400
    assert not Employer.objects.exists()


# --- Employer: vacancies ---------------------------------------------------------------


def test_employer_writes_a_draft_sees_the_umk_flag_and_submits(client):
    user = employer_account()
    track = TrackFactory()
    client.force_login(user)
    response = client.post(reverse("placements:vacancy-create"), vacancy_post(tracks=[track.pk]))
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert (vacancy.status, vacancy.salary_min, vacancy.salary_max) == (
        "draft",
        2_500_000,
        3_000_000,
    )
    assert list(vacancy.tracks.all()) == [track]
    page = client.get(response.url).content.decode()
    assert 'data-testid="umk-flag"' in page
    assert "di bawah UMK" in page
    response = client.post(reverse("placements:vacancy-submit", args=[vacancy.pk]))
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "submitted"


def test_vacancy_form_errors_are_400_with_messages(client):
    client.force_login(employer_account())
    response = client.post(
        reverse("placements:vacancy-create"),
        vacancy_post(salary_min="4000000", salary_max="3000000", deadline="2020-01-01"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Batas waktu tidak boleh di masa lalu" in body
    assert not Vacancy.objects.exists()


def test_dashboard_counts_applicants_per_status_in_constant_queries(
    client, django_assert_max_num_queries
):
    user = employer_account()
    employer = user.employer_membership.employer
    client.force_login(user)

    def fill(n):
        for _ in range(n):
            vacancy = VacancyFactory(employer=employer)
            JobApplicationFactory(vacancy=vacancy)
            JobApplicationFactory(vacancy=vacancy, status=S.SHORTLISTED)

    fill(1)
    with django_assert_max_num_queries(8):
        small = client.get(reverse("placements:employer-dashboard"))
    fill(15)
    with django_assert_max_num_queries(9):
        large = client.get(reverse("placements:employer-dashboard"))
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count('data-testid="vacancy-card"') == 16
    fill(10)  # 26 vacancies: two pages of at most 20
    with django_assert_max_num_queries(9):
        first = client.get(reverse("placements:employer-dashboard"))
    content = first.content.decode()
    assert content.count('data-testid="vacancy-card"') == 20
    assert 'href="?page=2"' in content and "Halaman 1 dari 2" in content
    second = client.get(reverse("placements:employer-dashboard"), {"page": "2"})
    assert second.content.decode().count('data-testid="vacancy-card"') == 6
    # A page number that is not one shows the nearest page, never an error.
    assert client.get(reverse("placements:employer-dashboard"), {"page": "x"}).status_code == 200


def test_employer_moves_an_applicant_to_interview_and_the_job_seeker_sees_it(client):
    application = JobApplicationFactory(vacancy=VacancyFactory())
    user = employer_account(application.vacancy.employer)
    client.force_login(user)
    when = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0)
    response = client.post(
        reverse("placements:employer-job-application-move", args=[application.pk, "interview"]),
        {
            "interview-interview_at": when.strftime("%Y-%m-%dT%H:%M"),
            "interview-interview_place": "Kantor HRD, KITB",
            "interview-note": "Bawa KTP asli.",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.INTERVIEW
    client.force_login(application.person)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Kantor HRD, KITB" in page
    assert "Bawa KTP asli." in page


def test_bad_move_input_is_a_400_with_the_form_open(client):
    application = JobApplicationFactory()
    client.force_login(employer_account(application.vacancy.employer))
    response = client.post(
        reverse("placements:employer-job-application-move", args=[application.pk, "not_selected"]),
        {"not_selected-reason": ""},
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == S.APPLIED


def test_unknown_move_is_404(client):
    application = JobApplicationFactory()
    client.force_login(employer_account(application.vacancy.employer))
    response = client.post(
        reverse("placements:employer-job-application-move", args=[application.pk, "applied"])
    )
    assert response.status_code == 404


# --- Public board ----------------------------------------------------------------------


def test_board_lists_only_open_published_vacancies(client):
    today = timezone.localdate()
    shown = VacancyFactory(title="Operator Las")
    VacancyFactory(title="Draf Rahasia", draft=True)
    VacancyFactory(title="Ditolak", status="rejected", rejection_reason="x")
    VacancyFactory(title="Menunggu", status="submitted")
    VacancyFactory(title="Ditutup", status="closed")
    VacancyFactory(title="Kedaluwarsa", deadline=today - timedelta(days=1))
    body = client.get(reverse("placements:vacancy-list")).content.decode()
    assert shown.title in body
    for hidden in ("Draf Rahasia", "Ditolak", "Menunggu", "Ditutup", "Kedaluwarsa"):
        assert hidden not in body


def test_board_filters_and_search(client):
    welding = TrackFactory(slug="las")
    VacancyFactory(title="Welder", tracks=[welding], zone="kitb", min_education="smk")
    VacancyFactory(title="Sopir Forklift", zone="bip", employment_type="pkwtt")
    VacancyFactory(title="Admin Gudang", zone="outside", min_education="d3")

    def titles(**params):
        body = client.get(reverse("placements:vacancy-list"), params).content.decode()
        return {t for t in ("Welder", "Sopir Forklift", "Admin Gudang") if t in body}

    assert titles(track="las") == {"Welder"}
    assert titles(zone="bip") == {"Sopir Forklift"}
    assert titles(employment_type="pkwtt") == {"Sopir Forklift"}
    assert titles(education="sma") == {"Welder", "Sopir Forklift"}  # D3 not met
    assert titles(q="gudang") == {"Admin Gudang"}
    assert titles(zone="mars", track="nothing") == {"Welder", "Sopir Forklift", "Admin Gudang"}


def test_board_query_count_does_not_grow(client, django_assert_max_num_queries):
    employer = EmployerFactory()
    VacancyFactory.create_batch(2, employer=employer)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("placements:vacancy-list")).status_code == 200
    for i in range(45):
        VacancyFactory(employer=EmployerFactory() if i % 2 else employer)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("placements:vacancy-list"), {"page": 2, "q": "Operator"})
    assert response.status_code == 200
    assert "Halaman 2 dari 3" in response.content.decode()


def test_board_pagination_links_keep_the_filters(client):
    VacancyFactory.create_batch(25, zone="kitb")
    content = client.get(reverse("placements:vacancy-list"), {"zone": "kitb"}).content.decode()
    assert 'href="?zone=kitb&amp;page=2"' in content
    assert "??" not in content


def test_board_pagination_past_the_end_shows_the_last_page(client):
    VacancyFactory.create_batch(3)
    assert client.get(reverse("placements:vacancy-list"), {"page": "99"}).status_code == 200
    assert client.get(reverse("placements:vacancy-list"), {"page": "abc"}).status_code == 200


def test_vacancy_page_escapes_html_and_keeps_line_breaks(client):
    vacancy = VacancyFactory(description="<b>Tebal</b>\nBaris dua")
    body = client.get(vacancy.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Tebal&lt;/b&gt;<br>Baris dua" in body
    assert "<b>Tebal</b>" not in body


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_unpublished_vacancy_is_404(client, status):
    vacancy = VacancyFactory(status=status, published_at=None, rejection_reason="x")
    assert client.get(vacancy.get_absolute_url()).status_code == 404
    assert client.get(reverse("placements:vacancy-apply", args=[vacancy.pk])).status_code in (
        302,
        404,
    )


def test_closed_never_published_is_404_closed_after_publishing_says_closed(client):
    assert (
        client.get(
            VacancyFactory(status="closed", published_at=None).get_absolute_url()
        ).status_code
        == 404
    )
    closed = VacancyFactory(status="closed")
    response = client.get(closed.get_absolute_url())
    assert response.status_code == 410
    assert "Lowongan ini sudah ditutup" in response.content.decode()
    expired = VacancyFactory(deadline=timezone.localdate() - timedelta(days=1))
    assert client.get(expired.get_absolute_url()).status_code == 410


def test_public_pages_in_english(client):
    vacancy = VacancyFactory()
    client.cookies["django_language"] = "en"
    body = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Apply by" in body
    body = client.get(reverse("placements:vacancy-list")).content.decode()
    assert "Job vacancies" in body


# --- Job seeker ------------------------------------------------------------------------


def test_apply_page_names_the_unmet_requirement(client):
    person = job_seeker(education_level="smp")
    client.force_login(person)
    vacancy = VacancyFactory(min_education="smk")
    response = client.get(reverse("placements:vacancy-apply", args=[vacancy.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-code="education"' in body
    assert "Lowongan ini meminta minimal" in body
    response = client.post(
        reverse("placements:vacancy-apply", args=[vacancy.pk]), {"cover_note": "Halo"}
    )
    assert response.status_code == 400
    assert not JobApplication.objects.exists()


def test_apply_then_status_on_my_list_then_second_click_lands_on_it(client):
    person = job_seeker()
    client.force_login(person)
    vacancy = VacancyFactory(title="Operator Mixing")
    url = reverse("placements:vacancy-apply", args=[vacancy.pk])
    response = client.post(url, {"cover_note": "Saya lulusan SMK Kimia."})
    application = JobApplication.objects.get()
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    again = client.post(url, {"cover_note": "lagi"})
    assert again.status_code == 302 and again.url == application.get_absolute_url()
    assert JobApplication.objects.count() == 1
    listing = client.get(reverse("placements:job-application-list")).content.decode()
    assert "Operator Mixing" in listing and "Melamar" in listing


def test_weekly_cap_is_explained_on_the_apply_page(client, policy):
    policy(weekly_cap=1)
    person = job_seeker()
    JobApplicationFactory(person=person)
    client.force_login(person)
    body = client.get(
        reverse("placements:vacancy-apply", args=[VacancyFactory().pk])
    ).content.decode()
    assert 'data-testid="weekly-cap"' in body
    assert "<form" not in body.split('data-testid="weekly-cap"')[1].split("</main>")[0]


def test_employer_cannot_apply(client):
    client.force_login(employer_account())
    response = client.get(reverse("placements:vacancy-apply", args=[VacancyFactory().pk]))
    assert response.status_code == 403


def test_withdraw_from_the_detail_page(client):
    application = JobApplicationFactory()
    client.force_login(application.person)
    response = client.post(reverse("placements:job-application-withdraw", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    again = client.post(reverse("placements:job-application-withdraw", args=[application.pk]))
    assert again.status_code == 302  # refused politely, no 500


def test_job_alert_preferences_are_opt_in(client):
    person = job_seeker()
    client.force_login(person)
    page = client.get(reverse("placements:job-preferences"))
    assert page.status_code == 200
    assert "checked" not in page.content.decode().split("<form")[2]
    client.post(reverse("placements:job-preferences"), {"job_alerts": "on"})
    preference = person.job_preference
    assert (preference.job_alerts, preference.discoverable) == (True, False)


def test_no_ghosting_event_reads_well_in_english(client):
    application = JobApplicationFactory(status_changed_at=timezone.now() - timedelta(days=20))
    from placements import services

    services.job_application_remind_stale()
    client.force_login(application.person)
    client.cookies["django_language"] = "en"
    body = client.get(application.get_absolute_url()).content.decode()
    assert "No answer from the employer yet" in body
    assert Notification.objects.filter(kind="job_application.no_response").count() == 1
    with override("en"):
        pass


def test_reference_is_unique_per_employer_with_a_form_error(client):
    user = employer_account()
    employer = user.employer_membership.employer
    VacancyFactory(employer=employer, reference="HRD-2026-014")
    VacancyFactory(reference="HRD-2026-014")  # another employer may use the same code
    client.force_login(user)
    response = client.post(
        reverse("placements:vacancy-create"), vacancy_post(reference="HRD-2026-014")
    )
    assert response.status_code == 400
    assert "Anda sudah punya lowongan dengan kode ini" in response.content.decode()
    response = client.post(reverse("placements:vacancy-create"), vacancy_post(reference=""))
    assert response.status_code == 302
    assert Vacancy.objects.filter(employer=employer, reference__isnull=True).count() == 1


def test_me_dashboard_shows_the_latest_job_applications(client):
    person = job_seeker()
    for n in range(6):
        JobApplicationFactory(person=person, vacancy=VacancyFactory(title=f"Lowongan Nomor {n}"))
    client.force_login(person)
    body = client.get(reverse("courses:dashboard")).content.decode()
    assert 'id="job-applications"' in body
    assert body.count("Lowongan Nomor") == 5
    assert reverse("placements:job-application-list") in body


def test_applicant_list_and_my_jobs_do_not_grow_in_queries(client, django_assert_max_num_queries):
    vacancy = VacancyFactory()
    user = employer_account(vacancy.employer)
    person = job_seeker()
    JobApplicationFactory(vacancy=vacancy, person=person)
    detail = reverse("placements:employer-vacancy-detail", args=[vacancy.pk])
    mine = reverse("placements:job-application-list")

    def measure():
        client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get(detail).status_code == 200
        client.force_login(person)
        with django_assert_max_num_queries(8):
            assert client.get(mine).status_code == 200

    measure()
    for _ in range(25):
        JobApplicationFactory(vacancy=vacancy)
        JobApplicationFactory(person=person)
    measure()
