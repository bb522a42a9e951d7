"""Selection and training for job seekers and the public: dashboard, offers, certificates."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.admissions.services.applications import application_withdraw
from courses.models import ApplicationStatus, SeatOffer
from courses.training.services.certificates import certificate_issue_missing, certificate_revoke
from trainees.tests.factories import StaffFactory, UserFactory

from .factories import (
    ApplicationFactory,
    CohortFactory,
    CompetencyUnitFactory,
    application_in,
    cohort_dated,
    over_offered_cohort,
    reserve_second,
    scored,
    selection_run_early,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def login(client, application):
    client.force_login(application.trainee.user)
    return application


def status(application):
    application.refresh_from_db()
    return application.status


# ------------------------------------------------------------------------ dashboard


def test_dashboard_shows_score_breakdown_and_reserve_place(client):
    cohort, mine = reserve_second()
    login(client, mine)
    content = client.get(reverse("courses:dashboard")).content.decode()
    assert "Anda nomor 2 dalam daftar cadangan" in content
    assert "66,00" in content  # (60 × 70 + 40 × 60) / 100, Indonesian decimal comma
    # The weights as the ranking uses them: each stage's share of the score.
    assert "60 % dari nilai" in content and "40 % dari nilai" in content
    # The first reserve leaves: the live place moves up.
    first_reserve = cohort.applications.get(reserve_position=1)
    application_withdraw(application=first_reserve, actor=None)
    content = client.get(reverse("courses:dashboard")).content.decode()
    assert "Anda nomor 1 dalam daftar cadangan" in content


def offered_seat(client):
    """Log in as the first reserve of a one-seat intake whose seat was just freed:
    `(application, its seat offer)`."""
    cohort = CohortFactory(capacity=1)
    seated = application_in(cohort, S.ACCEPTED)
    mine = login(client, application_in(cohort, S.RESERVE, reserve_position=1))
    application_withdraw(application=seated, actor=None)
    return mine, SeatOffer.objects.get(application=mine)


def test_dashboard_offer_buttons_accept_the_seat(client):
    mine, offer = offered_seat(client)
    response = client.get(reverse("courses:dashboard"))
    content = response.content.decode()
    assert offer.get_absolute_url() in content and 'data-testid="offer"' in content
    response = client.post(offer.get_absolute_url(), {"action": "accept"})
    assert response.status_code == 302
    assert status(mine) == S.CONFIRMED


def test_decline_asks_once_more_then_declines(client):
    mine, offer = offered_seat(client)
    response = client.post(offer.get_absolute_url(), {"action": "decline"})
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    assert status(mine) == S.RESERVE
    client.post(offer.get_absolute_url(), {"action": "decline", "confirm": "1"})
    assert status(mine) == S.WITHDRAWN


def test_offer_page_after_expiry_says_so(client):
    mine, offer = offered_seat(client)
    SeatOffer.objects.filter(pk=offer.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
        created_at=timezone.now() - datetime.timedelta(hours=49),
    )
    response = client.get(offer.get_absolute_url())
    assert 'data-testid="offer-closed"' in response.content.decode()
    response = client.post(offer.get_absolute_url(), {"action": "accept"}, follow=True)
    assert status(mine) == S.RESERVE
    assert any("kedaluwarsa" in str(m) for m in response.context["messages"])


def test_bad_offer_action_is_a_400(client):
    mine, offer = offered_seat(client)
    assert client.post(offer.get_absolute_url(), {"action": "grab"}).status_code == 400


def test_someone_elses_offer_is_a_404(client):
    cohort = CohortFactory(capacity=1)
    seated = application_in(cohort, S.ACCEPTED)
    theirs = application_in(cohort, S.RESERVE, reserve_position=1)
    application_withdraw(application=seated, actor=None)
    offer = SeatOffer.objects.get(application=theirs)
    login(client, application_in(cohort, S.RESERVE, reserve_position=2))
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.post(offer.get_absolute_url(), {"action": "accept"}).status_code == 404
    assert status(theirs) == S.RESERVE


def test_re_register_from_the_dashboard(client):
    mine = login(client, application_in(CohortFactory(), S.ACCEPTED))
    content = client.get(reverse("courses:dashboard")).content.decode()
    url = reverse("courses:application-confirm", args=[mine.pk])
    assert url in content
    assert client.get(url).status_code == 405
    client.post(url)
    assert status(mine) == S.CONFIRMED


def test_re_register_someone_elses_application_is_a_404(client):
    theirs = application_in(CohortFactory(), S.ACCEPTED)
    login(client, application_in(CohortFactory(), S.ACCEPTED))
    response = client.post(reverse("courses:application-confirm", args=[theirs.pk]))
    assert response.status_code == 404
    assert status(theirs) == S.ACCEPTED


def test_anonymous_visitors_are_sent_to_login(client):
    application = application_in(CohortFactory(), S.ACCEPTED)
    response = client.post(reverse("courses:application-confirm", args=[application.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def passed_application(**kwargs):
    cohort = cohort_dated(started=40, ends=-1, registration=(90, 60))
    CompetencyUnitFactory(program=cohort.program, code="J.620100.004.02", title="Struktur Data")
    application = application_in(cohort, S.PASSED, **kwargs)
    (certificate,) = certificate_issue_missing(cohort=cohort, actor=None)
    return application, certificate


def test_dashboard_links_the_certificate(client):
    application, certificate = passed_application()
    login(client, application)
    content = client.get(reverse("courses:dashboard")).content.decode()
    assert certificate.get_print_url() in content and certificate.number in content


def test_dashboard_queries_do_not_grow_with_applications(client, django_assert_max_num_queries):
    application, _certificate = passed_application()
    ApplicationFactory(cohort=CohortFactory(), trainee=application.trainee, status=S.RESERVE)
    login(client, application)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("courses:dashboard"))
    for status_ in (S.RESERVE, S.ACCEPTED, S.IN_TRAINING, S.WITHDRAWN):
        ApplicationFactory(cohort=CohortFactory(), trainee=application.trainee, status=status_)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("courses:dashboard"))


# ---------------------------------------------------------------------- certificates


def test_printable_certificate_for_its_holder_with_a_qr_code(client):
    application, certificate = passed_application()
    login(client, application)
    response = client.get(certificate.get_print_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content and certificate.code in content
    assert application.trainee.user.full_name in content
    assert "@media print" not in content  # the print stylesheet is a static file
    assert "courses/certificate.css" in content


def test_printable_certificate_is_private(client):
    _application, certificate = passed_application()
    client.force_login(UserFactory())
    assert client.get(certificate.get_print_url()).status_code == 404
    client.logout()
    assert client.get(certificate.get_print_url()).status_code == 302
    client.force_login(StaffFactory())
    assert client.get(certificate.get_print_url()).status_code == 200


def test_public_verification_of_a_valid_certificate(client):
    application, certificate = passed_application()
    response = client.get(reverse("courses:certificate-verify", args=[certificate.code]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sertifikat sah" in content
    full_name = application.trainee.user.full_name
    assert full_name not in content and certificate.holder_name_masked in content
    assert certificate.program_title in content and "J.620100.004.02" in content
    assert response["X-Robots-Tag"] == "noindex"


def test_public_verification_of_a_revoked_certificate(client):
    _application, certificate = passed_application()
    certificate_revoke(certificate=certificate, actor=None, reason="Nilai tidak sah.")
    response = client.get(reverse("courses:certificate-verify", args=[certificate.code]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sertifikat dicabut" in content and "Nilai tidak sah." in content


def test_public_verification_of_an_unknown_code(client):
    response = client.get(reverse("courses:certificate-verify", args=["ZZZZZZZZZZ"]))
    assert response.status_code == 404
    assert "Tidak ada sertifikat dengan kode ini" in response.content.decode()


def test_verification_page_in_english(client):
    _application, certificate = passed_application()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        response = client.get(reverse("courses:certificate-verify", args=[certificate.code]))
    assert "Valid certificate" in response.content.decode()


def test_lookup_form_redirects_to_the_code(client):
    url = reverse("courses:certificate-lookup")
    assert client.get(url).status_code == 200
    response = client.get(url, {"code": " abcd-1234 "})
    assert response["Location"] == reverse("courses:certificate-verify", args=["ABCD1234"])
    for bad in ("", "<>/ -", "x" * 40):
        response = client.get(url, {"code": bad})
        assert response.status_code == 400
        assert "Ketik huruf dan angka" in response.content.decode()


# --------------------------------------------------------------- public selection page


def test_public_selection_page_is_in_plain_words_and_shows_no_names(client):
    cohort = CohortFactory(capacity=1, reserve_size=1)
    applications = [scored(cohort, score) for score in (80, 70, 60)]
    selection_run_early(cohort)
    response = client.get(reverse("courses:cohort-selection", args=[cohort.code]))
    content = response.content.decode()
    assert response.status_code == 200
    # Plain words: the seed and the hash live on the "how to check the draw" page.
    assert cohort.selection_seed not in content and "sha256" not in content
    draw_url = reverse("courses:cohort-draw", args=[cohort.code])
    assert draw_url in content
    draw = client.get(draw_url).content.decode()
    assert cohort.selection_seed in draw and "sha256sum" in draw
    for application in applications:
        assert f"#{application.pk}" in content
        assert application.trainee.user.full_name not in content


@pytest.mark.parametrize(
    ("fields", "shown", "hidden"),
    [
        (
            {"written_test_weight": 60, "interview_weight": 40},
            ["tes tertulis 60 %", "wawancara 40 %"],
            [],
        ),
        ({"uses_interview": False, "interview_weight": 40}, ["tes tertulis 100 %"], ["wawancara"]),
        (
            {"uses_written_test": False, "uses_interview": False},
            ["tidak memakai tes bernilai"],
            ["tes tertulis", "wawancara"],
        ),
    ],
)
def test_the_ranking_names_only_the_stages_used_with_the_weights_as_used(
    client, fields, shown, hidden
):
    cohort = CohortFactory(**fields)
    content = client.get(reverse("courses:cohort-selection", args=[cohort.code])).content.decode()
    rules = content[content.index("<ol") : content.index("</ol>")]
    for text in shown:
        assert text in rules
    for text in hidden:
        assert text not in rules


def test_the_legal_basis_of_the_local_share_is_the_text_staff_set(client):
    cohort = CohortFactory(local_share_basis="Perbup Batang No. 7 Tahun 2027")
    content = client.get(reverse("courses:cohort-selection", args=[cohort.code])).content.decode()
    assert "Perbup Batang No. 7 Tahun 2027" in content and "42 Tahun 2021" not in content


def test_public_selection_page_of_an_unpublished_program_is_a_404(client):
    cohort = CohortFactory(program__is_published=False)
    assert client.get(reverse("courses:cohort-selection", args=[cohort.code])).status_code == 404
    assert client.get(reverse("courses:cohort-draw", args=[cohort.code])).status_code == 404


def test_program_page_links_the_ranking_without_developer_terms(client):
    cohort = CohortFactory()
    response = client.get(cohort.program.get_absolute_url())
    content = response.content.decode()
    assert cohort.selection_seed not in content
    assert reverse("courses:cohort-selection", args=[cohort.code]) in content


def test_a_later_offer_on_an_over_offered_cohort_is_refused_with_a_message(client):
    reserves, offers = over_offered_cohort()
    login(client, reserves[2])
    response = client.post(offers[2].get_absolute_url(), {"action": "accept"}, follow=True)
    assert response.status_code == 200  # redirected back to the offer, not a 500
    assert status(reserves[2]) == S.RESERVE
    assert any("penuh" in str(m) for m in response.context["messages"])
    # The earliest offer keeps its seat.
    login(client, reserves[0])
    client.post(offers[0].get_absolute_url(), {"action": "accept"})
    assert status(reserves[0]) == S.CONFIRMED


def test_the_dashboard_leaves_out_a_stage_the_intake_does_not_use(client):
    cohort = CohortFactory(capacity=1, uses_interview=False)
    mine = application_in(cohort, S.DOCUMENTS_VERIFIED, written_test_score=Decimal(70))
    selection_run_early(cohort)
    login(client, mine)
    breakdown = client.get(reverse("courses:dashboard")).content.decode()
    breakdown = breakdown[breakdown.index('data-testid="score-breakdown"') :]
    breakdown = breakdown[: breakdown.index("</details>")]
    assert "100 % dari nilai" in breakdown and "Wawancara" not in breakdown
