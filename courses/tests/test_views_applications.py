import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.admissions.services.scores import application_scores_set
from courses.admissions.transitions import application_transition
from courses.models import Application, ApplicationStatus
from trainees.models import Document
from trainees.tests.factories import StaffFactory, TraineeFactory

from .factories import ApplicationFactory, CohortFactory, ProgramFactory, eligible_trainee_create

pytestmark = pytest.mark.django_db

MOTIVATION = "Saya ingin bekerja sebagai operator di kawasan industri Batang."


def apply_url(cohort):
    return reverse("courses:cohort-apply", args=[cohort.program.slug, cohort.code])


def test_apply_url_matches_the_catalogue_link():
    cohort = CohortFactory()
    assert apply_url(cohort) == cohort.get_apply_url()


def test_anonymous_visitor_is_sent_to_login_and_back(client):
    cohort = CohortFactory()
    response = client.get(apply_url(cohort))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and "next=" in response.url


def test_staff_cannot_apply(client):
    client.force_login(StaffFactory())
    assert client.get(apply_url(CohortFactory())).status_code == 403


def test_unknown_or_unpublished_cohort_is_404(client, eligible_trainee):
    client.force_login(eligible_trainee.user)
    cohort = CohortFactory(program=ProgramFactory(is_published=False))
    assert client.get(apply_url(cohort)).status_code == 404
    other = CohortFactory()
    url = reverse("courses:cohort-apply", args=[other.program.slug, "NOPE-2026-01"])
    assert client.get(url).status_code == 404


def test_eligible_person_sees_every_rule_met_and_the_form(client, eligible_trainee):
    client.force_login(eligible_trainee.user)
    content = client.get(apply_url(CohortFactory())).content.decode()
    assert "Anda memenuhi semua persyaratan" in content
    assert 'data-ok="false"' not in content
    assert 'name="motivation"' in content


def test_ineligible_person_sees_what_to_fix_and_no_form(client):
    trainee = TraineeFactory()  # empty profile, no documents
    client.force_login(trainee.user)
    content = client.get(apply_url(CohortFactory())).content.decode()
    assert "Sebelum Anda bisa melamar" in content
    assert "Lengkapi profil Anda" in content
    assert "Unggah dokumen berikut" in content
    assert 'name="motivation"' not in content


def test_apply_creates_the_application_and_shows_it(client, eligible_trainee):
    client.force_login(eligible_trainee.user)
    cohort = CohortFactory()
    response = client.post(apply_url(cohort), {"motivation": MOTIVATION})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    content = client.get(response.url).content.decode()
    assert "Terkirim" in content and MOTIVATION in content


def test_double_submission_lands_on_the_existing_application(client, eligible_trainee):
    client.force_login(eligible_trainee.user)
    cohort = CohortFactory()
    first = client.post(apply_url(cohort), {"motivation": MOTIVATION})
    second = client.post(apply_url(cohort), {"motivation": MOTIVATION + " lagi"})
    assert Application.objects.count() == 1
    assert second.status_code == 302 and second.url == first.url
    # Opening the apply page again also lands there.
    assert client.get(apply_url(cohort)).url == first.url


def test_rejected_motivation_keeps_what_was_typed(client, eligible_trainee):
    client.force_login(eligible_trainee.user)
    response = client.post(apply_url(CohortFactory()), {"motivation": "Ingin kerja"})
    assert response.status_code == 400
    assert "Ingin kerja" in response.content.decode()
    assert not Application.objects.exists()


def test_becoming_ineligible_before_submitting_saves_nothing_and_keeps_the_text(
    client, eligible_trainee
):
    client.force_login(eligible_trainee.user)
    cohort = CohortFactory()
    Document.objects.filter(trainee=eligible_trainee, kind="ktp").delete()
    response = client.post(apply_url(cohort), {"motivation": MOTIVATION})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Unggah dokumen berikut" in content and MOTIVATION in content
    assert not Application.objects.exists()


def test_closed_registration_refuses(client, eligible_trainee):
    client.force_login(eligible_trainee.user)
    cohort = CohortFactory(
        registration_opens_at=timezone.now() - datetime.timedelta(days=9),
        registration_closes_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = client.post(apply_url(cohort), {"motivation": MOTIVATION})
    assert response.status_code == 400
    assert "tidak dibuka" in response.content.decode()
    assert not Application.objects.exists()


def test_apply_page_in_english(client, eligible_trainee):
    client.force_login(eligible_trainee.user)
    client.cookies["django_language"] = "en"
    content = client.get(apply_url(CohortFactory())).content.decode()
    assert "You meet every requirement" in content


# --- dashboard and someone else's data -----------------------------------------------------


def test_dashboard_lists_applications_with_timeline_and_withdraw(client, eligible_trainee):
    application = ApplicationFactory(trainee=eligible_trainee)
    client.force_login(eligible_trainee.user)
    content = client.get(reverse("courses:dashboard")).content.decode()
    assert application.cohort.program.title in content
    assert "Terkirim" in content
    assert reverse("courses:application-withdraw", args=[application.pk]) in content


def test_dashboard_queries_do_not_grow_with_applications(
    client, eligible_trainee, django_assert_max_num_queries
):
    client.force_login(eligible_trainee.user)
    ApplicationFactory(trainee=eligible_trainee)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("courses:dashboard"))
    for _ in range(8):
        ApplicationFactory(trainee=eligible_trainee)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("courses:dashboard"))
    assert response.content.decode().count('data-testid="application-status"') == 9


def test_applying_takes_the_same_queries_with_more_applications_behind_it(
    client, eligible_trainee, django_assert_max_num_queries
):
    """The apply POST reads the person's applications once, however many they have."""
    cohort = CohortFactory()
    many = eligible_trainee_create()
    for trainee, count in ((eligible_trainee, 1), (many, 9)):
        # Withdrawn: they are read by the rules, and block nothing.
        ApplicationFactory.create_batch(count, trainee=trainee, status=ApplicationStatus.WITHDRAWN)
    client.force_login(eligible_trainee.user)
    # The account, the profile and the intake; in the transaction: the profile locked,
    # the person's applications, their documents, the application, its event and its
    # outbox row (with their savepoints). The intake and the applications are read once.
    with django_assert_max_num_queries(16) as small:
        response = client.post(apply_url(cohort), {"motivation": MOTIVATION})
    assert response.status_code == 302
    client.force_login(many.user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.post(apply_url(cohort), {"motivation": MOTIVATION})
    assert response.status_code == 302
    assert cohort.applications.count() == 2
    # A second click still lands on the application it made.
    made = many.applications.get(cohort=cohort)
    response = client.post(apply_url(cohort), {"motivation": MOTIVATION})
    assert response.status_code == 302 and response.url == made.get_absolute_url()
    assert cohort.applications.count() == 2


def test_staff_dashboard_goes_to_admin(client):
    client.force_login(StaffFactory())
    assert client.get(reverse("courses:dashboard")).url == reverse("admin:index")


def test_someone_elses_application_is_404_everywhere(client, eligible_trainee):
    application = ApplicationFactory()
    client.force_login(eligible_trainee.user)
    for name in ["courses:application-detail", "courses:application-withdraw"]:
        assert client.get(reverse(name, args=[application.pk])).status_code == 404
    response = client.post(reverse("courses:application-withdraw", args=[application.pk]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_withdraw_asks_for_confirmation_then_withdraws(client, eligible_trainee):
    application = ApplicationFactory(trainee=eligible_trainee)
    client.force_login(eligible_trainee.user)
    url = reverse("courses:application-withdraw", args=[application.pk])
    confirm = client.get(url)
    assert "Batalkan lamaran?" in confirm.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    response = client.post(url, {"reason": "Sudah diterima kerja."}, follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    content = response.content.decode()
    assert "Dibatalkan" in content and "Sudah diterima kerja." in content
    # No withdraw button any more; the confirmation page sends back to the application.
    assert url not in content
    assert client.get(url).status_code == 302


def test_timeline_shows_the_portals_reason_in_the_readers_language_and_no_scores(client):
    application = ApplicationFactory(status=ApplicationStatus.DOCUMENTS_VERIFIED)
    application_scores_set(application=application, actor=StaffFactory(), written_test="40")
    application_transition(
        application=application,
        to=ApplicationStatus.NOT_ACCEPTED,
        actor=None,
        reason_code="training_started",
    )
    client.force_login(application.trainee.user)
    url = reverse("courses:application-detail", args=[application.pk])
    page = client.get(url).content.decode()
    assert "tidak ada kursi kosong untuk Anda" in page  # the code's sentence, in Indonesian
    assert "Nilai diubah" not in page  # score changes are for staff
    client.cookies["django_language"] = "en"
    assert "Training has started and no seat came free" in client.get(url).content.decode()


def test_after_withdrawing_the_program_page_says_so_instead_of_an_apply_button(
    client, eligible_trainee
):
    from courses.admissions.services.applications import application_withdraw

    cohort = CohortFactory()
    application = ApplicationFactory(trainee=eligible_trainee, cohort=cohort)
    program_url = reverse("courses:program-detail", kwargs={"slug": cohort.program.slug})
    client.force_login(eligible_trainee.user)
    page = client.get(program_url).content.decode()
    assert application.get_absolute_url() in page and apply_url(cohort) not in page
    application_withdraw(application=application, actor=eligible_trainee.user)
    page = client.get(program_url).content.decode()
    assert 'data-testid="withdrawn-note"' in page
    assert apply_url(cohort) not in page  # no button into a dead end
    # Someone who has not applied still gets the button.
    client.force_login(TraineeFactory().user)
    assert apply_url(cohort) in client.get(program_url).content.decode()


def test_the_motivation_is_counted_as_the_browser_counts_it(client, eligible_trainee):
    """2000 characters in the textarea, line breaks included, arrive as 2000 + one per
    line break ("\\r\\n"): accepted, stored with "\\n"."""
    cohort = CohortFactory()
    lines = ["Saya ingin belajar menjahit."] * 40
    text = "\n".join(lines)
    text += "x" * (2000 - len(text))
    assert len(text) == 2000
    sent = text.replace("\n", "\r\n")
    assert len(sent) == 2039
    client.force_login(eligible_trainee.user)
    response = client.post(apply_url(cohort), {"motivation": sent})
    assert response.status_code == 302
    stored = Application.objects.get(trainee=eligible_trainee).motivation
    assert stored == text and "\r" not in stored


def test_a_motivation_over_the_limit_is_still_refused(client, eligible_trainee):
    cohort = CohortFactory()
    client.force_login(eligible_trainee.user)
    response = client.post(apply_url(cohort), {"motivation": "a" * 1999 + "\r\nbc"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_refusal_for_age_suggests_the_intakes_open_to_the_person(
    client, eligible_trainee, django_assert_max_num_queries
):
    import datetime as dt

    eligible_trainee.birth_date = dt.date(1980, 1, 1)  # 46 or so: over a 35 limit
    eligible_trainee.save(update_fields=["birth_date"])
    too_old = CohortFactory(program=ProgramFactory(title="Mekatronika", max_age=35))
    # Open intakes whose training does not overlap each other's: one fits, one has an
    # age limit too.
    later = too_old.training_end + dt.timedelta(days=10)
    open_to_her = CohortFactory(
        program=ProgramFactory(title="Tata Boga", max_age=None),
        training_start=later,
        training_end=later + dt.timedelta(days=30),
    )
    CohortFactory(program=ProgramFactory(title="Las Muda", max_age=30))
    client.force_login(eligible_trainee.user)
    with django_assert_max_num_queries(30):
        page = client.get(apply_url(too_old)).content.decode()
    suggestions = page[page.index('data-testid="suggestions"') :]
    assert open_to_her.get_apply_url() in suggestions
    assert "Las Muda" not in suggestions and "Mekatronika" not in suggestions


def test_a_refusal_the_person_can_fix_suggests_nothing(client):
    from trainees.tests.factories import TraineeFactory as Empty

    trainee = Empty()  # no birth date yet: "fill in your birth date" is fixable
    cohort = CohortFactory(program=ProgramFactory(max_age=35))
    client.force_login(trainee.user)
    page = client.get(apply_url(cohort)).content.decode()
    assert 'data-testid="suggestions"' not in page
