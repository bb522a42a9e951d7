import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from .factories import (
    CohortFactory,
    CompetencyUnitFactory,
    ProgramFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

CATALOGUE = "/courses/"


def days(n):
    return datetime.timedelta(days=n)


def titles(response) -> list[str]:
    return [p.title for p in response.context["programs"]]


def closed_cohort(**kwargs):
    now = timezone.now()
    return CohortFactory(
        registration_opens_at=now - days(20),
        registration_closes_at=now - days(2),
        training_start=timezone.localdate() + days(5),
        training_end=timezone.localdate() + days(40),
        **kwargs,
    )


def upcoming_cohort(**kwargs):
    now = timezone.now()
    return CohortFactory(
        registration_opens_at=now + days(10),
        registration_closes_at=now + days(30),
        training_start=timezone.localdate() + days(45),
        training_end=timezone.localdate() + days(80),
        **kwargs,
    )


# ----------------------------------------------------------------------- catalogue


def test_catalogue_is_public_and_lists_only_published_programs(client):
    ProgramFactory(title="Operator Mesin CNC")
    ProgramFactory(title="Draf Rahasia", is_published=False)
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert titles(response) == ["Operator Mesin CNC"]
    page = response.content.decode()
    assert "<h1" in page and "Katalog pelatihan" in page
    assert "Draf Rahasia" not in page


def test_catalogue_card_shows_next_cohort_dates_deadline_and_seats(client):
    program = ProgramFactory(title="Juru Las SMAW")
    CohortFactory(program=program, code="LAS-2026-02", capacity=16)
    upcoming_cohort(program=program, code="LAS-2026-03")
    page = client.get(CATALOGUE).content.decode()
    assert "Angkatan berikutnya" in page
    assert "LAS-2026-02" in page  # the open one comes first
    assert "LAS-2026-03" not in page
    assert "Pendaftaran ditutup" in page
    assert "16 dari 16" in page


def test_program_without_a_coming_intake_says_so(client):
    program = ProgramFactory()
    CohortFactory(
        program=program,
        registration_opens_at=timezone.now() - days(90),
        registration_closes_at=timezone.now() - days(60),
        training_start=timezone.localdate() - days(50),
        training_end=timezone.localdate() - days(10),
    )
    assert "Belum ada jadwal angkatan." in client.get(CATALOGUE).content.decode()


def test_filter_by_track(client):
    welding = TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing")
    ProgramFactory(title="Juru Las", track=welding)
    ProgramFactory(title="Barista", track=TrackFactory(slug="healthy-food"))
    response = client.get(CATALOGUE, {"track": "manufaktur"})
    assert titles(response) == ["Juru Las"]
    assert '<option value="manufaktur" selected>Manufaktur</option>' in response.content.decode()


def test_filter_by_registration_open_now(client):
    CohortFactory(program__title="Buka")
    closed_cohort(program=ProgramFactory(title="Tutup"))
    upcoming_cohort(program=ProgramFactory(title="Nanti"))
    CohortFactory(program=ProgramFactory(title="Batal"), is_cancelled=True)
    assert titles(client.get(CATALOGUE, {"open": "on"})) == ["Buka"]
    assert len(titles(client.get(CATALOGUE))) == 4


def test_filter_by_education_shows_programs_the_person_qualifies_for(client):
    ProgramFactory(title="A Tanpa Syarat", min_education="")
    ProgramFactory(title="B Minimal SMP", min_education="smp")
    ProgramFactory(title="C Minimal SMK", min_education="smk")
    ProgramFactory(title="D Minimal D3", min_education="d3")
    assert titles(client.get(CATALOGUE, {"education": "sma"})) == [
        "A Tanpa Syarat",
        "B Minimal SMP",
        "C Minimal SMK",  # SMA and SMK are the same level
    ]
    assert titles(client.get(CATALOGUE, {"education": "smp"})) == [
        "A Tanpa Syarat",
        "B Minimal SMP",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cnc", ["Operator Mesin CNC"]),
        ("MESIN cnc", ["Operator Mesin CNC"]),
        ("struktur data", ["Junior Coder"]),  # a unit title
        ("J.620100.004", ["Junior Coder"]),  # a unit code
        ("manufaktur", ["Operator Mesin CNC"]),  # the track name
        ("kapal selam", []),
    ],
)
def test_text_search(client, query, expected):
    manufaktur = TrackFactory(name_id="Manufaktur")
    ProgramFactory(title="Operator Mesin CNC", track=manufaktur)
    coder = ProgramFactory(title="Junior Coder", summary="Pemrograman dasar.")
    CompetencyUnitFactory(program=coder, code="J.620100.004.02", title="Menggunakan Struktur Data")
    assert titles(client.get(CATALOGUE, {"q": query})) == expected


def test_pagination_keeps_the_filters_in_page_links(client):
    track = TrackFactory(slug="ti")
    for i in range(14):
        ProgramFactory(title=f"Program {i:02d}", track=track)
    ProgramFactory(title="Lain")
    first = client.get(CATALOGUE, {"track": "ti"})
    assert len(titles(first)) == 12
    page = first.content.decode()
    assert "14 program ditemukan" in page
    assert "Halaman 1 dari 2" in page
    assert 'href="?track=ti&amp;page=2"' in page
    second = client.get(CATALOGUE, {"track": "ti", "page": 2})
    assert titles(second) == ["Program 12", "Program 13"]
    assert 'href="?track=ti&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("page", ["99", "abc", "-1"])
def test_out_of_range_page_numbers_show_a_page_not_an_error(client, page):
    for i in range(13):
        ProgramFactory(title=f"Program {i:02d}")
    response = client.get(CATALOGUE, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number in (1, 2)


def test_empty_result_explains_how_to_widen_the_search(client):
    ProgramFactory(title="Barista", track=TrackFactory(slug="kuliner"))
    response = client.get(CATALOGUE, {"q": "robot", "track": "kuliner", "open": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada program yang cocok dengan pencarian Anda." in page
    assert "cari tanpa kata “robot”" in page
    assert 'href="?track=kuliner&amp;open=on"' in page  # the same search without the words
    assert "cari di semua kejuruan" in page
    assert "sertakan program yang pendaftarannya belum dibuka" in page
    assert "atau hapus semua saringan." in page


def test_unknown_track_is_a_translated_400_and_the_other_filters_still_apply(client):
    ProgramFactory(title="Operator Mesin CNC")
    ProgramFactory(title="Barista")
    response = client.get(CATALOGUE, {"track": "tidak-ada", "q": "cnc"})
    assert response.status_code == 400
    assert "Kejuruan itu tidak ada; pilih dari daftar." in response.content.decode()
    assert titles(response) == ["Operator Mesin CNC"]


def test_overlong_search_is_a_400_not_a_500(client):
    response = client.get(CATALOGUE, {"q": "x" * 500})
    assert response.status_code == 400


def test_catalogue_in_english_shows_english_track_names(client):
    ProgramFactory(track=TrackFactory(name_id="Bahasa", name_en="Languages"))
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = client.get(CATALOGUE).content.decode()
    assert "Training catalogue" in page
    assert "Languages" in page
    assert "1 program found" in page


def test_anonymous_catalogue_comes_from_the_cache_until_staff_change_it(
    staff_client, django_capture_on_commit_callbacks
):
    program = ProgramFactory(title="Judul Lama")
    anonymous = Client()
    assert anonymous.get(CATALOGUE)["X-Page-Cache"] == "miss"
    assert anonymous.get(CATALOGUE)["X-Page-Cache"] == "hit"
    url = reverse("admin:courses_program_change", args=[program.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "Judul Baru",
            "track": program.track_id,
            "required_documents": ["ktp"],
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": "0",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fresh = anonymous.get(CATALOGUE)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Judul Baru" in fresh.content.decode()


# ------------------------------------------------------------------ program page


def test_program_page_shows_units_requirements_and_coming_cohorts(client):
    program = ProgramFactory(
        title="Junior Web Developer",
        slug="junior-web-developer",
        min_age=17,
        max_age=35,
        min_education="sma",
        extra_requirements="Mampu mengoperasikan komputer.\nTidak buta warna.",
        required_documents=["ktp", "ijazah"],
        kkni_level=4,
        certification_scheme="Junior Web Developer",
    )
    CompetencyUnitFactory(
        program=program, code="J.620100.004.02", title="Menggunakan Struktur Data"
    )
    CohortFactory(program=program, code="JWD-2026-03")
    CohortFactory(
        program=program,
        code="JWD-2026-01",
        registration_opens_at=timezone.now() - days(120),
        registration_closes_at=timezone.now() - days(90),
        training_start=timezone.localdate() - days(80),
        training_end=timezone.localdate() - days(40),
    )
    response = client.get("/courses/junior-web-developer/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "J.620100.004.02" in page and "Menggunakan Struktur Data" in page
    assert "Berusia 17 sampai 35 tahun." in page
    assert "Pendidikan minimal SMA/MA" in page
    assert "<li>Tidak buta warna.</li>" in page
    assert "<li>KTP</li>" in page and "<li>Ijazah terakhir</li>" in page
    assert "Jenjang KKNI" in page
    assert "JWD-2026-03" in page
    assert "JWD-2026-01" not in page  # finished intakes are not "coming"
    assert "11 kursi diprioritaskan untuk warga Kabupaten Batang." in page


def test_open_cohort_has_an_apply_link_to_the_registration_path(client):
    cohort = CohortFactory(program__slug="operator-cnc", code="CNC-2026-03")
    page = client.get("/courses/operator-cnc/").content.decode()
    assert '<a class="btn btn-primary" href="/courses/operator-cnc/apply/CNC-2026-03/">' in page
    assert "Daftar angkatan CNC-2026-03" in page
    assert cohort.status == "open"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (upcoming_cohort, "Pendaftaran dibuka pada"),
        (closed_cohort, "Pendaftaran sudah ditutup pada"),
        (lambda **kw: CohortFactory(is_cancelled=True, **kw), "Angkatan ini dibatalkan."),
    ],
)
def test_closed_cohort_says_why_instead_of_offering_to_apply(client, make, reason):
    make(program=ProgramFactory(slug="barista"), code="BRS-2026-02")
    page = client.get("/courses/barista/").content.decode()
    assert reason in page
    assert "/apply/" not in page


def test_unpublished_program_is_404_for_the_public_and_a_preview_for_staff(
    staff_client, django_user_model
):
    ProgramFactory(slug="draf", is_published=False, title="Program Draf")
    assert Client().get("/courses/draf/").status_code == 404
    seeker = django_user_model.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    job_seeker = Client()
    job_seeker.force_login(seeker)
    assert job_seeker.get("/courses/draf/").status_code == 404
    preview = staff_client.get("/courses/draf/")
    assert preview.status_code == 200
    assert "Pratinjau: program ini belum terbit." in preview.content.decode()


def test_unknown_program_is_404(client):
    assert client.get("/courses/tidak-ada/").status_code == 404


def test_program_page_in_english(client):
    ProgramFactory(slug="cnc", min_age=18, max_age=None)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = client.get("/courses/cnc/").content.decode()
    assert "At least 18 years old." in page
    assert "Requirements" in page


# -------------------------------------------------------------------------- home


def test_home_is_public_and_indonesian_by_default_even_for_english_browsers(client):
    # Moved from core when the home page moved to courses.
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert "Pelatihan vokasi gratis untuk warga Batang" in response.content.decode()


def test_home_shows_tracks_and_only_cohorts_open_for_registration(client):
    track = TrackFactory(name_id="Otomotif Kendaraan Listrik", slug="ev")
    CohortFactory(
        program__title="Perawatan Motor Listrik", program__track=track, code="SML-2026-02"
    )
    upcoming_cohort(program=ProgramFactory(title="Instalasi PLTS"), code="PLT-2026-04")
    CohortFactory(program=ProgramFactory(title="Draf", is_published=False), code="DRF-2026-01")
    page = client.get("/").content.decode()
    assert "Otomotif Kendaraan Listrik" in page
    assert 'href="/courses/?track=ev"' in page
    assert "SML-2026-02" in page
    assert "PLT-2026-04" not in page
    assert "DRF-2026-01" not in page
    assert 'href="/courses/"' in page  # the nav link and the call to action


def test_home_links_to_all_open_cohorts_when_there_are_more_than_shown(client):
    for _ in range(8):
        CohortFactory()
    page = client.get("/").content.decode()
    assert "Lihat semua 8 angkatan yang sedang membuka pendaftaran" in page
    assert 'href="/courses/?open=on"' in page


def test_nav_has_a_courses_link(client):
    page = client.get("/").content.decode()
    assert re.search(r'<a class="nav-link" href="/courses/">Pelatihan</a>', page)
