"""The public figures on known data: counts, the "< 5" rule, placements, months, queries."""

import datetime

import pytest
from django.utils import timezone

from courses.tests.factories import ProgramFactory, TrackFactory
from placements.models import Placement
from placements.tests.factories import EmployerFactory, VacancyFactory
from reports.selectors import dashboard_build, figure_get, months_ending
from reports.selectors.dashboard import NOT_STATED, OUTSIDE
from reports.suppression import HIDDEN_TEXT

from .factories import (
    BLADO,
    GRINGSING,
    KANDEMAN,
    PEKALONGAN,
    TracerSurveyFactory,
    application,
    applications,
    certify,
    finished_cohort,
)

pytestmark = pytest.mark.django_db


def place(app, *, days_after_start=40):
    return Placement.objects.create(
        employer=EmployerFactory(),
        person=app.trainee.user,
        start_date=app.cohort.training_start + datetime.timedelta(days=days_after_start),
        source=Placement.Source.OUTSIDE,
    )


@pytest.fixture
def world():
    """Two finished cohorts in two tracks (see the numbers in each test)."""
    manufaktur = TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing")
    elektronika = TrackFactory(slug="elektronika", name_id="Elektronika", name_en="Electronics")
    cm = finished_cohort(program=ProgramFactory(track=manufaktur))
    ce = finished_cohort(program=ProgramFactory(track=elektronika))
    passed_kandeman = applications(8, cohort=cm, status="passed", kecamatan=KANDEMAN)
    # 10 trainees in Kandeman: 8 passed, 2 not.
    not_passed = applications(2, cohort=cm, status="not_passed", kecamatan=KANDEMAN)
    # 3 applicants from Gringsing who never got further.
    applications(3, cohort=cm, status="submitted", kecamatan=GRINGSING)
    # Electronics: 6 graduates living outside Batang, 1 in Blado.
    electronics_outside = applications(6, cohort=ce, status="passed", regency=PEKALONGAN)
    application(cohort=ce, status="passed", kecamatan=BLADO)
    # Placed: 3 recorded placements, 2 tracer answers "working".
    for app in passed_kandeman[:3]:
        place(app)
    for app in passed_kandeman[3:5]:
        TracerSurveyFactory(
            application=app, working=True, answered_at=timezone.now(), employer_name="PT Kaca"
        )
    # Certified: 5 valid certificates in Kandeman (a sixth was revoked), 6 outside Batang.
    for app in passed_kandeman[:5]:
        certify(app)
    certify(passed_kandeman[5], revoked=True)
    for app in electronics_outside:
        certify(app)
    # Not counted as placed: a tracer "not yet", a placement before the training, a
    # placement of someone who did not pass.
    TracerSurveyFactory(application=passed_kandeman[5], working=False, answered_at=timezone.now())
    place(passed_kandeman[6], days_after_start=-30)
    place(not_passed[0])
    return {"manufaktur": manufaktur, "elektronika": elektronika, "cm": cm, "ce": ce}


def values(row_or_totals):
    cells = getattr(row_or_totals, "cells", row_or_totals)
    return {key: cell.text for key, cell in cells.items()}


def steps(applicants, trainees, graduates, certified, placed):
    """The figures a row shows at each step of the funnel, as the page prints them."""
    return {
        "applicants": str(applicants),
        "trainees": str(trainees),
        "graduates": str(graduates),
        "certified": str(certified),
        "placed": str(placed),
    }


def test_totals_count_people_at_each_step(world):
    dashboard = dashboard_build()
    assert values(dashboard.totals) == steps(20, 17, 15, 11, 5)
    assert dashboard.rate.text == "33%"  # 5 of 15


def test_by_track(world):
    rows = {row.key: row for row in dashboard_build().by_track}
    manufaktur = rows[str(world["manufaktur"].pk)]
    assert values(manufaktur) == steps(13, 10, 8, 5, 5)
    assert manufaktur.rate.text == "63%"  # 5 of 8, half rounded up
    electronics = rows[str(world["elektronika"].pk)]
    assert values(electronics) == steps(7, 7, 7, 6, 0)
    assert electronics.rate.text == "0%"


def test_by_kecamatan_hides_small_groups_and_what_would_reveal_them(world):
    dashboard = dashboard_build()
    rows = {row.key: row for row in dashboard.by_area}
    # The 15 kecamatan of Batang and "outside", in that order; nobody without an area.
    assert len(dashboard.by_area) == 16 and NOT_STATED not in rows
    assert dashboard.by_area[-1].key == OUTSIDE
    assert values(rows[KANDEMAN]) == steps(10, 10, 8, 5, 5)
    assert rows[GRINGSING].cells["applicants"].text == HIDDEN_TEXT  # 3 people
    assert rows[BLADO].cells["applicants"].text == HIDDEN_TEXT  # 1 person
    # Graduates: Kandeman 8, Blado 1, outside 6, total 15. Blado alone hidden would be
    # 15 - 8 - 6: so "outside" (the smallest other group) is hidden too.
    assert rows[BLADO].cells["graduates"].hidden
    assert rows[OUTSIDE].cells["graduates"].hidden
    assert rows[OUTSIDE].cells["applicants"].text == "6"
    assert dashboard.totals["graduates"].text == "15"
    # A rate is never published from a hidden number.
    assert rows[OUTSIDE].rate.text == "–" and rows[OUTSIDE].rate.reason == "hidden"
    assert rows[KANDEMAN].rate.text == "63%"
    assert rows["332501"].rate.reason == "none"  # Wonotunggal: nobody
    for row in dashboard.by_area:
        for cell in row.cells.values():
            assert cell.value is None or cell.value == 0 or cell.value >= 5


def test_people_without_an_address_are_counted_as_not_stated(world):
    application(cohort=world["cm"], status="submitted", regency="", kecamatan="")
    rows = {row.key: row for row in dashboard_build().by_area}
    assert rows[NOT_STATED].cells["applicants"].text == HIDDEN_TEXT


def test_by_month_counts_each_figure_at_its_own_date(world):
    today = timezone.localdate()
    dashboard = dashboard_build(today=today)
    assert len(dashboard.by_month) == 12
    this_month = dashboard.by_month[-1]
    assert this_month.key == f"{today.year:04d}-{today.month:02d}"
    # Everybody applied today (the factories' created_at).
    assert this_month.cells["applicants"].text == "20"
    ended = world["cm"].training_end
    ended_key = f"{ended.year:04d}-{ended.month:02d}"
    graduated = next(row for row in dashboard.by_month if row.key == ended_key)
    assert graduated.cells["graduates"].text == "15"
    assert graduated.cells["placed"].text == "5"
    # Certificates count in the month they were issued (today, in the factory).
    assert this_month.cells["certified"].text == "11"


def test_months_ending_walks_back_over_the_new_year():
    months = months_ending(datetime.date(2026, 2, 14), 4)
    assert months == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


def test_a_person_who_applied_twice_counts_once(world):
    again = application(cohort=world["ce"], status="submitted", kecamatan=KANDEMAN)
    application(cohort=world["cm"], status="submitted", trainee=again.trainee)
    assert dashboard_build().totals["applicants"].text == "21"


def test_reaching_training_is_read_from_the_history_too(world):
    # Withdrew during the training: the status says "withdrawn", the history says more.
    application(
        cohort=world["cm"],
        status="withdrawn",
        kecamatan=KANDEMAN,
        history=["documents_verified", "accepted", "confirmed", "in_training"],
    )
    assert dashboard_build().totals["trainees"].text == "18"


def test_open_vacancies_by_track(world):
    VacancyFactory(tracks=[world["manufaktur"]], openings=4)
    VacancyFactory(tracks=[world["manufaktur"], world["elektronika"]], openings=2)
    VacancyFactory(tracks=[world["elektronika"]], draft=True)
    VacancyFactory(
        tracks=[world["elektronika"]], deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    dashboard = dashboard_build()
    rows = {row.key: row for row in dashboard.vacancies}
    assert (
        rows[str(world["manufaktur"].pk)].vacancies,
        rows[str(world["manufaktur"].pk)].openings,
    ) == (2, 6)
    assert (
        rows[str(world["elektronika"].pk)].vacancies,
        rows[str(world["elektronika"].pk)].openings,
    ) == (1, 2)
    # Vacancies are not people: small numbers are shown as they are.
    assert dashboard.open_openings == 8


def test_every_figure_has_a_label_and_an_explanation():
    for key in ("applicants", "trainees", "graduates", "certified", "placed"):
        figure = figure_get(key)
        assert str(figure.label) and str(figure.help)


def _grow(world, n):
    for _i in range(n):
        track = TrackFactory()
        cohort = finished_cohort(program=ProgramFactory(track=track))
        for app in applications(3, cohort=cohort, status="passed", kecamatan=BLADO):
            place(app)
            certify(app)
        VacancyFactory(tracks=[track])


def test_the_number_of_queries_does_not_grow_with_the_data(world, django_assert_num_queries):
    # 5 figures x 3 groupings + tracks + vacancies + pledges kept (per employer, per track)
    # + certified people by scheme
    with django_assert_num_queries(20):
        dashboard_build()
    _grow(world, 6)
    with django_assert_num_queries(20):
        dashboard = dashboard_build()
    assert len(dashboard.by_track) == 8


def test_a_lone_hidden_month_cannot_be_recovered_from_the_total():
    track = TrackFactory()
    today = timezone.localdate()
    this_month = finished_cohort(program=ProgramFactory(track=track), ended=today)
    earlier = finished_cohort(
        program=ProgramFactory(track=track), ended=today - datetime.timedelta(days=70)
    )
    applications(8, cohort=earlier, status="passed", kecamatan=KANDEMAN)
    applications(6, cohort=this_month, status="passed", kecamatan=KANDEMAN)
    third = finished_cohort(
        program=ProgramFactory(track=track), ended=today - datetime.timedelta(days=35)
    )
    applications(2, cohort=third, status="passed", kecamatan=KANDEMAN)
    dashboard = dashboard_build(today=today)
    graduates = [row.cells["graduates"] for row in dashboard.by_month]
    assert dashboard.totals["graduates"].text == "16"
    # 2 in one month: hidden, and the smallest other month (6) with it.
    assert sum(cell.hidden for cell in graduates) == 2
    assert [cell.value for cell in graduates if not cell.hidden and cell.value] == [8]


def test_a_revoked_certificate_stops_counting(world):
    from courses.models import Certificate

    assert dashboard_build().totals["certified"].text == "11"
    first = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    Certificate.objects.filter(pk=first.pk).update(
        revoked_at=timezone.now(), revoke_reason="Salah cetak"
    )
    assert dashboard_build().totals["certified"].text == "10"


def test_a_certificate_of_an_application_that_did_not_pass_is_not_counted(world):
    # Data staff may have to correct: the result changed after the certificate was issued.
    app = application(cohort=world["cm"], status="passed", kecamatan=KANDEMAN)
    certify(app)
    assert dashboard_build().totals["certified"].text == "12"
    type(app).objects.filter(pk=app.pk).update(status="not_passed")
    assert dashboard_build().totals["certified"].text == "11"


def test_certified_people_are_counted_by_scheme_under_the_rule_of_five():
    from courses.tests.factories import CredentialFactory, CredentialSchemeFactory
    from trainees.tests.factories import CompleteTraineeFactory

    today = timezone.localdate()
    forklift = CredentialSchemeFactory(name="SIO Operator Forklift Kelas II")
    height = CredentialSchemeFactory(name="TKPK 1")
    stc = CredentialSchemeFactory(name="Sertifikat STC", kind="stc_training")
    people = [CompleteTraineeFactory() for _ in range(6)]
    for person in people:
        CredentialFactory(
            scheme=forklift, holder=person, expires_on=today + datetime.timedelta(days=400)
        )
        CredentialFactory(scheme=stc, holder=person, expires_on=None)
    # A second valid card of the same person counts the person once.
    CredentialFactory(
        scheme=forklift, holder=people[0], expires_on=today + datetime.timedelta(days=20)
    )
    # Expired, revoked or left the employer: not certified now.
    CredentialFactory(scheme=forklift, expires_on=today - datetime.timedelta(days=1))
    CredentialFactory(
        scheme=forklift, revoked_at=timezone.now(), revoke_reason="palsu", expires_on=None
    )
    for person in people[:2]:
        CredentialFactory(scheme=height, holder=person, expires_on=None)
    rows = {row["label"]: row["people"].text for row in dashboard_build().certified_by_scheme}
    assert rows == {"SIO Operator Forklift Kelas II": "6", "TKPK 1": HIDDEN_TEXT}
