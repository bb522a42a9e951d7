"""Query counts of the catalogue, a program's page and the home page: they do not grow
with the number of programs, units or cohorts."""

import pytest

from courses.models import Program

from .factories import bulk_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE = "/courses/"


@pytest.fixture
def count_queries(django_assert_max_num_queries):
    return django_assert_max_num_queries


# Anonymous visitors, first (uncached) request. Measured: 4, 5, 4 and 3 at any size.
CATALOGUE_QUERIES = 4  # count, a page of programs + tracks, their coming cohorts, track options
FILTERED_CATALOGUE_QUERIES = 5  # + the chosen track, looked up to validate the filter
# program + track, its units, its coming cohorts, the accepted pledges of those intakes
# (shown by placements.context_processors.public_pledges)
DETAIL_QUERIES = 4
HOME_QUERIES = 3  # tracks with program counts, open cohorts shown, their total


@pytest.mark.parametrize("size", [5, 500])
def test_catalogue_queries_do_not_grow_with_programs(client, count_queries, size):
    programs = bulk_catalogue(size)
    with count_queries(CATALOGUE_QUERIES):
        response = client.get(CATALOGUE)
    assert len(response.context["programs"]) == min(size, 12)
    filters = {"open": "on", "education": "sma", "q": "massal", "track": programs[0].track.slug}
    with count_queries(FILTERED_CATALOGUE_QUERIES):
        response = client.get(CATALOGUE, {**filters, "page": 2})
    assert response.status_code == 200
    same_track = [p for p in programs if p.track_id == programs[0].track_id]
    assert response.context["page_obj"].paginator.count == len(same_track)


@pytest.mark.parametrize("size", [5, 500])
def test_program_page_queries_do_not_grow_with_units_or_cohorts(client, count_queries, size):
    bulk_catalogue(size)
    program = bulk_catalogue(
        1, cohorts_per_program=size // 5 + 1, units_per_program=size // 5, prefix="D"
    )[0]
    assert Program.objects.count() == size + 1
    with count_queries(DETAIL_QUERIES):
        response = client.get(program.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 500])
def test_home_queries_do_not_grow_with_programs(client, count_queries, size):
    bulk_catalogue(size)
    with count_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
