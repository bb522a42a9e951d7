"""The job seekers' search in the admin finds what Django's `search_fields` find
(trainees.selectors.trainee_search), searched among the accounts first."""

import pytest
from django.contrib import admin
from django.db import connection

from trainees.admin import TraineeAdmin
from trainees.models import Trainee
from trainees.tests.factories import CompleteTraineeFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db


class _DjangoSearch(admin.ModelAdmin):
    search_fields = TraineeAdmin.search_fields


@pytest.fixture
def people():
    siti = CompleteTraineeFactory(
        user=UserFactory(full_name="Siti Aminah", email="siti.a@example.com", phone="")
    )
    CompleteTraineeFactory(user=UserFactory(full_name="Siti Rahma", email="rahma@example.com"))
    CompleteTraineeFactory(user=UserFactory(full_name="Budi Santoso", email="aminah.b@mail.id"))
    TraineeFactory(user=UserFactory(full_name="Dewi Lestari", email=None))  # no NIK yet
    return siti


@pytest.mark.parametrize(
    "term",
    [
        "Siti",
        "siti aminah",
        "aminah siti",
        '"Siti Aminah"',
        "'siti rahma'",
        "AMINAH",
        "example.com",
        "@mail",
        "8120",
        "+62812",
        "Siti example",
        "tidak ada",
        "Dewi",
        "",
        "  ",
    ],
)
def test_it_finds_what_djangos_search_finds(people, rf, term):
    site = admin.AdminSite()
    ours, djangos = TraineeAdmin(Trainee, site), _DjangoSearch(Trainee, site)
    request = rf.get("/", {"q": term})
    found, duplicates = ours.get_search_results(request, Trainee.objects.all(), term)
    expected, _ = djangos.get_search_results(request, Trainee.objects.all(), term)
    assert not duplicates
    assert sorted(found.values_list("pk", flat=True)) == sorted(
        expected.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("term", ["Siti", "example", "a"])
def test_a_word_that_finds_many_accounts_finds_the_same(people, rf, monkeypatch, term):
    """Beyond `ACCOUNTS_LISTED` accounts the word stays a subquery: the same results."""
    monkeypatch.setattr("accounts.selectors.ACCOUNTS_LISTED", 1)
    site = admin.AdminSite()
    ours, djangos = TraineeAdmin(Trainee, site), _DjangoSearch(Trainee, site)
    request = rf.get("/", {"q": term})
    found, _ = ours.get_search_results(request, Trainee.objects.all(), term)
    expected, _ = djangos.get_search_results(request, Trainee.objects.all(), term)
    assert len(expected) > 1
    assert sorted(found.values_list("pk", flat=True)) == sorted(
        expected.values_list("pk", flat=True)
    )


def test_a_whole_nik_finds_its_owner_and_a_part_of_it_does_not(people, rf):
    site = admin.AdminSite()
    ours = TraineeAdmin(Trainee, site)
    request = rf.get("/")
    found, _ = ours.get_search_results(request, Trainee.objects.all(), people.nik)
    assert list(found) == [people]
    part, _ = ours.get_search_results(request, Trainee.objects.all(), people.nik[:8])
    assert people not in part


@pytest.mark.postgres_only
def test_the_searched_columns_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'accounts_user'"
            " AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        indexes = dict(cursor.fetchall())
    for column in ("full_name", "email", "phone"):
        definition = indexes[f"accounts_user_{column}_upper_trgm"]
        assert f"upper(({column})::text) gin_trgm_ops" in definition
        assert "fastupdate=off" in definition
