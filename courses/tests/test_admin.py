import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Cohort, CohortStatus, Program

from .factories import CohortFactory, ProgramFactory, TrackFactory, bulk_catalogue, cohort_dated

pytestmark = pytest.mark.django_db

COHORTS = reverse("admin:courses_cohort_changelist")
PROGRAMS = reverse("admin:courses_program_changelist")
TRACKS = reverse("admin:courses_track_changelist")


def results(response):
    return list(response.context["cl"].result_list)


# ------------------------------------------------------------------ smoke tests


@pytest.mark.parametrize("model", ["track", "program", "cohort"])
def test_every_admin_page_opens(staff_client, model):
    cohort = CohortFactory()
    obj = {"track": cohort.program.track, "program": cohort.program, "cohort": cohort}[model]
    for url in (
        reverse(f"admin:courses_{model}_changelist"),
        reverse(f"admin:courses_{model}_add"),
        reverse(f"admin:courses_{model}_change", args=[obj.pk]),
    ):
        assert staff_client.get(url).status_code == 200, url


def test_cohort_changelist_shows_what_staff_need(staff_client):
    CohortFactory(code="MKT-2026-03", capacity=16, program__title="Mekatronika")
    page = staff_client.get(COHORTS).content.decode()
    for text in ("MKT-2026-03", "Mekatronika", "Pendaftar", "Kursi terisi", "Pendaftaran dibuka"):
        assert text in page


# ------------------------------------------------------------------------ filters


def test_status_filter_uses_the_dates(staff_client):
    open_ = CohortFactory()
    finished = cohort_dated(started=50, ends=-1, registration=(90, 60))
    cancelled = CohortFactory(is_cancelled=True)
    assert results(staff_client.get(COHORTS, {"status": "open"})) == [open_]
    assert results(staff_client.get(COHORTS, {"status": "finished"})) == [finished]
    assert results(staff_client.get(COHORTS, {"status": "cancelled"})) == [cancelled]
    assert results(staff_client.get(COHORTS, {"status": "upcoming"})) == []
    assert len(results(staff_client.get(COHORTS))) == 3
    for cohort in results(staff_client.get(COHORTS)):
        assert cohort.status_now == cohort.status_at()


def test_track_date_and_search_filters(staff_client):
    ev = TrackFactory(name_id="Otomotif Kendaraan Listrik")
    wanted = CohortFactory(program__track=ev, code="BAT-2026-01", program__title="Baterai")
    CohortFactory(code="BRS-2026-01")
    assert results(staff_client.get(COHORTS, {"program__track__id__exact": ev.pk})) == [wanted]
    assert results(staff_client.get(COHORTS, {"q": "baterai"})) == [wanted]
    year = wanted.training_start.year
    assert len(results(staff_client.get(COHORTS, {"training_start__year": year}))) == 2
    assert results(staff_client.get(COHORTS, {"training_start__year": year + 5})) == []


# ----------------------------------------------------------------- query counts

# Measured as a member of the Training staff group (session, user and the group's
# permissions included): 10, 8 and 7 queries, the same at 5 and at 1,000 rows.
COHORT_CHANGELIST_QUERIES = 10
PROGRAM_CHANGELIST_QUERIES = 8
TRACK_CHANGELIST_QUERIES = 7


@pytest.mark.parametrize("cohorts", [5, 1000])
def test_cohort_changelist_queries_do_not_grow_with_rows(
    staff_client, django_assert_max_num_queries, cohorts
):
    bulk_catalogue(cohorts // 5, cohorts_per_program=5)
    assert Cohort.objects.count() == cohorts
    with django_assert_max_num_queries(COHORT_CHANGELIST_QUERIES):
        response = staff_client.get(COHORTS)
    assert len(results(response)) == min(cohorts, 100)
    with django_assert_max_num_queries(COHORT_CHANGELIST_QUERIES):
        staff_client.get(COHORTS, {"status": "open", "q": "massal", "o": "-10"})


@pytest.mark.parametrize("programs", [5, 500])
def test_program_and_track_changelist_queries_do_not_grow_with_rows(
    staff_client, django_assert_max_num_queries, programs
):
    bulk_catalogue(programs)
    with django_assert_max_num_queries(PROGRAM_CHANGELIST_QUERIES):
        assert staff_client.get(PROGRAMS).status_code == 200
    with django_assert_max_num_queries(TRACK_CHANGELIST_QUERIES):
        assert staff_client.get(TRACKS).status_code == 200


# ----------------------------------------------------------------- edit screens


def program_form_data(track, **overrides):
    data = {
        "track": track.pk,
        "title": "Operator Forklift",
        "code": "FRK",
        "slug": "operator-forklift",
        "summary": "Mengoperasikan forklift dengan aman.",
        "duration_days": "10",
        "lesson_hours": "80",
        "min_age": "18",
        "max_age": "35",
        "min_education": "sma",
        "required_documents": ["ktp", "ijazah"],
        "units-TOTAL_FORMS": "1",
        "units-INITIAL_FORMS": "0",
        "units-0-position": "1",
        "units-0-code": "C.282200.001.01",
        "units-0-title": "Mengoperasikan Forklift",
    }
    data.update(overrides)
    return data


def test_staff_add_a_program_with_its_units(staff_client):
    track = TrackFactory()
    response = staff_client.post(reverse("admin:courses_program_add"), program_form_data(track))
    assert response.status_code == 302
    program = Program.objects.get(code="FRK")
    assert program.required_documents == ["ktp", "ijazah"]
    assert list(program.units.values_list("code", flat=True)) == ["C.282200.001.01"]


def add_refused(client, url_name, data):
    """Post an add form the admin refuses: it is shown again (200) with the errors."""
    response = client.post(reverse(url_name), data)
    assert response.status_code == 200
    return response.content.decode()


def test_bad_skkni_code_and_impossible_ages_are_refused_with_explanations(staff_client):
    data = program_form_data(TrackFactory(), min_age="40", **{"units-0-code": "620100-004"})
    page = add_refused(staff_client, "admin:courses_program_add", data)
    assert "Tulis kode SKKNI seperti J.620100.004.02" in page
    assert "Usia minimal lebih tinggi daripada usia maksimal." in page
    assert not Program.objects.exists()


def test_cohort_form_refuses_impossible_dates(staff_client):
    program = ProgramFactory()
    data = {
        "program": program.pk,
        "code": "FRK-2026-01",
        "training_start": "2026-05-04",
        "training_end": "2026-05-01",
        "registration_opens_at_0": "2026-04-01",
        "registration_opens_at_1": "08:00",
        "registration_closes_at_0": "2026-03-01",
        "registration_closes_at_1": "08:00",
        "capacity": "0",
        "location": "Workshop",
        "local_share": "0.70",
        "uses_document_check": "on",
    }
    page = add_refused(staff_client, "admin:courses_cohort_add", data)
    assert "Pelatihan tidak boleh berakhir sebelum dimulai." in page
    assert "Pendaftaran harus ditutup setelah dibuka." in page
    assert not Cohort.objects.exists()


def test_new_cohort_form_proposes_the_local_share_from_settings(staff_client, settings):
    settings.STC_LOCAL_SHARE_DEFAULT = 0.75
    form = staff_client.get(reverse("admin:courses_cohort_add")).context["adminform"].form
    assert str(form["local_share"].value()) == "0.75"


# ---------------------------------------------------------------- copy action


def far_intake(code, **kwargs):
    """An intake in 2040, so the copy's number does not depend on today's date."""
    wib = timezone.get_current_timezone()
    return CohortFactory(
        code=code,
        registration_opens_at=datetime.datetime(2040, 2, 1, 8, 0, tzinfo=wib),
        registration_closes_at=datetime.datetime(2040, 2, 20, 16, 0, tzinfo=wib),
        training_start=datetime.date(2040, 3, 5),
        training_end=datetime.date(2040, 4, 6),
        **kwargs,
    )


def test_copy_action_reports_each_row(staff_client, django_capture_on_commit_callbacks):
    first = far_intake("MKT-2040-03")
    second = far_intake("LAS-2040-01")
    far_intake("LAS-2040-02", program=second.program)  # the next LAS exists already
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            COHORTS,
            {"action": "copy_to_next_intake", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
    texts = [str(m) for m in response.context["messages"]]
    copy = Cohort.objects.get(code="MKT-2040-04")
    assert copy.training_start == datetime.date(2040, 4, 9)
    assert texts[0].startswith("MKT-2040-03 disalin menjadi")
    assert f'href="/admin/courses/cohort/{copy.pk}/change/">MKT-2040-04</a>' in texts[0]
    assert "pelatihan 9 April 2040 – 11 Mei 2040" in texts[0]
    assert texts[1] == (
        "LAS-2040-01 tidak disalin: Angkatan berikutnya, LAS-2040-02, sudah ada; "
        "salin angkatan yang terbaru."
    )
    assert texts[2] == "1 angkatan disalin."
    assert Cohort.objects.count() == 4
    assert copy.status_at() == CohortStatus.UPCOMING


def test_capacity_cannot_drop_below_the_seats_already_taken():
    from django.forms.models import model_to_dict

    from courses.catalogue.admin import CohortAdminForm
    from courses.models import ApplicationStatus

    from .factories import application_in

    cohort = CohortFactory(capacity=3)
    for _ in range(2):
        application_in(cohort, ApplicationStatus.CONFIRMED)
    application_in(cohort, ApplicationStatus.RESERVE, reserve_position=1)
    data = {k: v for k, v in model_to_dict(cohort).items() if v is not None}
    form = CohortAdminForm(data={**data, "capacity": 1}, instance=cohort)
    assert not form.is_valid()
    assert "2 kursi sudah terisi" in form.errors["capacity"][0]
    cohort.refresh_from_db()
    assert cohort.capacity == 3  # nothing saved
    form = CohortAdminForm(data={**data, "capacity": 2}, instance=cohort)
    assert form.is_valid(), form.errors
