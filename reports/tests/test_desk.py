"""The labour-market desk: IPK III/1 on known data, the placed list, who may open them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.roles import ADMINISTRATOR, PLACEMENT_OFFICER, TRAINING_STAFF
from placements.models import Placement, Vacancy
from placements.tests.factories import EmployerFactory, VacancyFactory
from reports.selectors import desk
from trainees.models import Trainee
from trainees.tests.factories import CompleteTraineeFactory

pytestmark = pytest.mark.django_db
NOV = datetime.date(2026, 11, 1)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _seeker(registered, *, birth=datetime.date(2002, 5, 17), gender="male"):
    trainee = CompleteTraineeFactory(birth_date=birth, gender=gender)
    Trainee.objects.filter(pk=trainee.pk).update(created_at=_at(registered))
    return trainee


def _place(trainee, on, vacancy=None, employer=None):
    placement = Placement.objects.create(
        employer=employer or (vacancy.employer if vacancy else EmployerFactory()),
        person=trainee.user,
        vacancy=vacancy,
        start_date=on,
    )
    Placement.objects.filter(pk=placement.pk).update(created_at=_at(on))
    return placement


@pytest.fixture
def known():
    """Eight job seekers and two vacancies around November 2026."""
    men_20s = [
        _seeker(datetime.date(2026, 9, 3)),  # open since September: start and end
        _seeker(datetime.date(2026, 10, 10)),  # placed in November
        _seeker(datetime.date(2026, 11, 5)),  # registered in November, still open
        _seeker(datetime.date(2026, 11, 6)),  # registered and placed in November
        _seeker(datetime.date(2024, 11, 20)),  # two years on 2026-11-20: removed
        _seeker(datetime.date(2026, 8, 1)),  # placed in October: out of the register
    ]
    woman_teen = _seeker(
        datetime.date(2026, 11, 2), birth=datetime.date(2009, 1, 1), gender="female"
    )
    _seeker(datetime.date(2026, 12, 1))  # after the month: nowhere
    vacancy = VacancyFactory(openings=3)
    Vacancy.objects.filter(pk=vacancy.pk).update(published_at=_at(datetime.date(2026, 10, 20)))
    closed = VacancyFactory(openings=2)
    Vacancy.objects.filter(pk=closed.pk).update(
        published_at=_at(datetime.date(2026, 11, 3)), closed_at=_at(datetime.date(2026, 11, 25))
    )
    _place(men_20s[1], datetime.date(2026, 11, 12), vacancy=vacancy)
    _place(men_20s[3], datetime.date(2026, 11, 20), vacancy=closed)
    _place(men_20s[5], datetime.date(2026, 10, 15))
    _place(men_20s[5], datetime.date(2026, 11, 15))  # a second job: placed once only
    return men_20s, woman_teen


def test_ipk_iii_1_numbers_on_known_data(known):
    ipk = desk.ipk_build(month=NOV)
    men = {c: ipk.seeker_cell("20-29", "L", c) for c in desk.COLUMNS}
    assert men == {"start": 3, "registered": 2, "placed": 2, "removed": 1, "end": 2}
    teen = {c: ipk.seeker_cell("15-19", "P", c) for c in desk.COLUMNS}
    assert teen == {"start": 0, "registered": 1, "placed": 0, "removed": 0, "end": 1}
    for column in desk.COLUMNS:
        assert ipk.seeker_total(column) == men[column] + teen[column]
    # end = start + registered - placed - removed
    assert ipk.seeker_total("end") == (
        ipk.seeker_total("start")
        + ipk.seeker_total("registered")
        - ipk.seeker_total("placed")
        - ipk.seeker_total("removed")
    )
    # Vacancies: 3 open from October; 2 published in November, 1 filled, 1 left at closing.
    either = ipk.vacancies["L/P"]
    assert (either["start"], either["registered"], either["removed"]) == (3, 2, 1)
    assert ipk.vacancies["L"]["placed"] == 2
    assert either["end"] == 2  # the October vacancy: 3 openings, 1 filled


def test_october_sees_the_october_placement(known):
    ipk = desk.ipk_build(month=datetime.date(2026, 10, 31))
    assert ipk.seeker_cell("20-29", "L", "placed") == 1
    assert ipk.seeker_cell("20-29", "L", "registered") == 1


def test_placed_list_has_each_person_once_at_their_first_placement(known):
    men, _woman = known
    rows = desk.placed_list(month=NOV)
    assert sorted(p.person_id for p in rows) == sorted([men[1].user_id, men[3].user_id])


def test_ipk_page_and_exports_for_staff(training_staff_client, known):
    url = reverse("admin:reports_deskreport_changelist")
    page = training_staff_client.get(url, {"month": "2026-11"})
    assert page.status_code == 200
    assert "IPK III/1" in page.content.decode()
    assert training_staff_client.get(url, {"month": "2026-13"}).status_code == 400
    csv = training_staff_client.get(
        reverse("admin:reports_deskreport_ipk_csv"), {"month": "2026-11"}
    )
    assert csv.status_code == 200 and "20-29" in csv.content.decode("utf-8-sig")


def test_placed_export_needs_personal_data_and_is_audited(staff_client_for, known):
    men, _woman = known
    officer = staff_client_for(PLACEMENT_OFFICER)
    placed = reverse("admin:reports_deskreport_placed")
    assert officer.get(placed, {"month": "2026-11"}).status_code == 200
    export = reverse("admin:reports_deskreport_placed_csv")
    assert officer.get(export, {"month": "2026-11"}).status_code == 403
    staff = staff_client_for(TRAINING_STAFF)
    response = staff.get(export, {"month": "2026-11"})
    assert response.status_code == 200
    assert men[1].nik in response.content.decode("utf-8-sig")
    assert AuditEvent.objects.get(action="personal_data.export").detail["rows"] == 2


@pytest.mark.parametrize("role", [TRAINING_STAFF, PLACEMENT_OFFICER, ADMINISTRATOR])
def test_every_desk_route_per_role(staff_client_for, role):
    client = staff_client_for(role)
    may_export = role != PLACEMENT_OFFICER
    expected = {
        "admin:reports_deskreport_changelist": 200,
        "admin:reports_deskreport_ipk_csv": 200,
        "admin:reports_deskreport_ipk_xlsx": 200,
        "admin:reports_deskreport_placed": 200,
        "admin:reports_deskreport_placed_csv": 200 if may_export else 403,
        "admin:reports_deskreport_placed_xlsx": 200 if may_export else 403,
    }
    for name, status in expected.items():
        assert client.get(reverse(name)).status_code == status, (role, name)


def test_job_seekers_never_reach_the_desk(client):
    client.force_login(CompleteTraineeFactory().user)
    response = client.get(reverse("admin:reports_deskreport_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize("n", [1, 10])
def test_desk_queries_stay_flat(training_staff_client, django_assert_max_num_queries, n):
    for index in range(n):
        trainee = _seeker(datetime.date(2026, 11, 2))
        _place(trainee, datetime.date(2026, 11, 10 + index % 10))
    with django_assert_max_num_queries(12):
        training_staff_client.get(
            reverse("admin:reports_deskreport_changelist"), {"month": "2026-11"}
        )
    with django_assert_max_num_queries(12):
        training_staff_client.get(reverse("admin:reports_deskreport_placed"), {"month": "2026-11"})
