"""/stats/: public, both languages, no personal data, cached, constant queries."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.cache import public_cache_bump
from courses.tests.factories import ProgramFactory, TrackFactory
from placements.tests.factories import VacancyFactory
from reports.selectors import dashboard_cache_clear
from reports.suppression import HIDDEN_TEXT
from reports.views import STATS_CACHE

from .factories import BLADO, KANDEMAN, PEKALONGAN, applications, finished_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    track = TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing")
    cohort = finished_cohort(program=ProgramFactory(track=track))
    graduates = applications(6, cohort=cohort, status="passed", kecamatan=KANDEMAN)
    applications(2, cohort=cohort, status="passed", kecamatan=BLADO)
    # With Blado hidden, the smallest other group (outside Batang) is hidden too.
    applications(5, cohort=cohort, status="passed", regency=PEKALONGAN)
    VacancyFactory(tracks=[track], openings=7)
    public_cache_bump(STATS_CACHE)
    return {"track": track, "graduates": graduates}


def chart(response, key):
    content = response.content.decode()
    start = content.index(f'<script id="{key}" type="application/json">') + len(
        f'<script id="{key}" type="application/json">'
    )
    return json.loads(content[start : content.index("</script>", start)])


def test_anyone_sees_the_figures_in_indonesian(client, data):
    response = client.get(reverse("reports:stats"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Statistik ketenagakerjaan" in content
    assert "Menurut kecamatan domisili" in content
    assert "Manufaktur" in content and "Kandeman" in content
    assert HIDDEN_TEXT.replace("<", "&lt;") in content  # Blado's 2 graduates
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in content
    assert 'src="/static/reports/stats.js"' in content


def test_the_page_speaks_english_too(client, data):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.get(reverse("reports:stats"))
    content = response.content.decode()
    assert "Labour-market figures" in content
    assert "By kecamatan of domicile" in content
    assert "Manufacturing" in content
    assert chart(response, "tracks")["datasets"][0]["label"] == "Graduates"


def test_no_personal_data_on_the_page(client, data):
    content = client.get(reverse("reports:stats")).content.decode()
    for app in data["graduates"]:
        user = app.trainee.user
        assert user.full_name not in content
        assert user.email not in content
        assert app.trainee.nik not in content


def test_charts_get_hidden_counts_as_gaps_never_as_numbers(client, data):
    response = client.get(reverse("reports:stats"))
    areas = chart(response, "areas")
    graduates = next(d for d in areas["datasets"] if d["key"] == "graduates")
    by_label = dict(zip(areas["labels"], graduates["data"], strict=True))
    assert by_label["Kandeman"] == 6
    assert by_label["Blado"] is None  # 2 people: not drawn, not sent
    assert by_label["Di luar Kabupaten Batang"] is None  # would give Blado away
    months = chart(response, "months")
    assert len(months["labels"]) == 12
    vacancies = chart(response, "vacancies")
    assert vacancies["datasets"][0]["data"][vacancies["labels"].index("Manufaktur")] == 7


def test_the_nav_links_to_the_figures(client, data):
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:stats")}"' in content and "Statistik" in content


def _more(n):
    for _ in range(n):
        cohort = finished_cohort(program=ProgramFactory(track=TrackFactory()))
        applications(5, cohort=cohort, status="passed", kecamatan=KANDEMAN)
        VacancyFactory(tracks=[cohort.program.track])


def test_queries_stay_the_same_with_more_data(client, data, django_assert_max_num_queries):
    # Uncached: the figures' 20 queries (2 pledges kept, 1 certified people), none per row.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("reports:stats")).status_code == 200
    _more(5)
    dashboard_cache_clear()
    public_cache_bump(STATS_CACHE)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("reports:stats")).status_code == 200
    # Cached figures (a signed-in visitor skips the page cache): no figure query at all.
    public_cache_bump(STATS_CACHE)
    with django_assert_max_num_queries(0):
        assert client.get(reverse("reports:stats")).status_code == 200


def test_anonymous_visitors_get_the_page_from_the_page_cache(client, data):
    first = client.get(reverse("reports:stats"))
    second = client.get(reverse("reports:stats"))
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_logged_in_visitors_see_it_too(client, data, django_user_model):
    user = django_user_model.objects.create_user("ani@example.com", "rahasia-panjang-1")
    client.force_login(user)
    assert client.get(reverse("reports:stats")).status_code == 200


@pytest.mark.bulk_data
def test_the_demo_data_fills_the_page_in_both_languages(client):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    dashboard_cache_clear()
    response = client.get(reverse("reports:stats"))
    assert response.status_code == 200
    totals = chart(response, "months")
    assert any(value for dataset in totals["datasets"] for value in dataset["data"])
    content = response.content.decode()
    assert "Statistik ketenagakerjaan" in content and "Sudah bekerja" in content
    client.cookies["django_language"] = "en"
    english = client.get(reverse("reports:stats")).content.decode()
    assert "Labour-market figures" in english and "Placed in work" in english


def test_certified_people_are_counted_by_scheme_under_the_small_group_rule(client):
    from courses.tests.factories import CredentialFactory, CredentialSchemeFactory

    forklift = CredentialSchemeFactory(name="SIO Operator Forklift")
    height = CredentialSchemeFactory(name="Teknisi K3 Ketinggian")
    for _ in range(6):
        CredentialFactory(scheme=forklift)
    for _ in range(2):
        CredentialFactory(scheme=height)
    CredentialFactory(scheme=forklift, revoked_at=timezone.now(), revoke_reason="palsu")
    public_cache_bump(STATS_CACHE)
    body = client.get(reverse("reports:stats")).content.decode()
    table = body[body.index('data-testid="certified-table"') :]
    table = table[: table.index("</table>")]
    assert "SIO Operator Forklift" in table and ">6<" in table
    assert "Teknisi K3 Ketinggian" in table and HIDDEN_TEXT.replace("<", "&lt;") in table
