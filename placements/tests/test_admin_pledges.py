"""Staff UI of demand and pledges: lists, the demand summary, actions, pledges kept."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from courses.tests.factories import CohortFactory, ProgramFactory
from placements.demand.models import DemandStatement, Pledge
from placements.models import Placement

from .factories import DemandFactory, EmployerFactory, PledgeFactory, ended_cohort, graduate

pytestmark = pytest.mark.django_db
S = Pledge.Status


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("model", ["demandstatement", "pledge"])
def test_changelists_and_change_pages_open(placement_officer_client, model):
    statement, pledge = DemandFactory(), PledgeFactory()
    obj = {"demandstatement": statement, "pledge": pledge}[model]
    client = placement_officer_client
    assert client.get(reverse(f"admin:placements_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:placements_{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("rows", [1, 15])
@pytest.mark.parametrize(
    ("model", "factory"), [("pledge", PledgeFactory), ("demandstatement", DemandFactory)]
)
def test_changelist_query_count_is_flat(
    placement_officer_client, django_assert_max_num_queries, rows, model, factory
):
    for _ in range(rows):
        factory()
    with django_assert_max_num_queries(12):
        response = placement_officer_client.get(reverse(f"admin:placements_{model}_changelist"))
    assert response.status_code == 200 and len(response.context["cl"].result_list) == rows


def test_demand_summary_sums_by_track_and_quarter_beside_planned_seats(training_staff_client):
    today = timezone.localdate()
    program = ProgramFactory()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    DemandFactory(track=program.track, program=program, quarter=quarter, headcount=30)
    DemandFactory(track=program.track, quarter=quarter, headcount=12)
    CohortFactory(
        program=program,
        capacity=16,
        training_start=today - datetime.timedelta(days=1),
        training_end=today,
    )
    response = training_staff_client.get(reverse("admin:placements_demandstatement_summary"))
    (row,) = response.context["rows"]
    assert (row.headcount, row.employers, row.planned_seats, row.gap) == (42, 2, 16, 26)
    ((label, url),) = row.plan_links
    assert label == program.title
    assert url == reverse("admin:courses_cohort_add") + f"?program={program.pk}&capacity=30"
    # The link opens the cohort form filled in.
    form = training_staff_client.get(url).context["adminform"].form
    assert form.initial["program"] == str(program.pk) and form.initial["capacity"] == "30"


def test_placement_officers_see_the_summary_without_the_planning_links(placement_officer_client):
    program = ProgramFactory()
    DemandFactory(track=program.track, program=program)
    response = placement_officer_client.get(reverse("admin:placements_demandstatement_summary"))
    assert response.status_code == 200 and not response.context["can_add_cohort"]
    assert reverse("admin:courses_cohort_add") not in response.content.decode()


def test_the_summary_needs_the_view_permission(client, django_user_model):
    user = django_user_model.objects.create_user("x@example.com", "pw", is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:placements_demandstatement_summary"))
    assert response.status_code == 403


def test_accept_and_settle_actions_report_per_row(placement_officer_client):
    offered, settled = PledgeFactory(offered=True), PledgeFactory(status=S.BROKEN)
    url = reverse("admin:placements_pledge_changelist")
    response = placement_officer_client.post(
        url,
        {"action": "accept", ACTION_CHECKBOX_NAME: [offered.pk, settled.pk]},
        follow=True,
    )
    offered.refresh_from_db()
    assert offered.status == S.ACCEPTED
    notes = messages_of(response)
    assert any("Diterima" in m for m in notes) and any("tidak dapat menjadi" in m for m in notes)
    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort, seats=1)
    Placement.objects.create(
        employer=pledge.employer, person=graduate(cohort), start_date=cohort.training_end
    )
    placement_officer_client.post(url, {"action": "settle", ACTION_CHECKBOX_NAME: [pledge.pk]})
    pledge.refresh_from_db()
    assert (pledge.status, pledge.hired_count) == (S.FULFILLED, 1)


def test_decline_asks_for_a_reason_first(placement_officer_client):
    pledge = PledgeFactory(offered=True)
    url = reverse("admin:placements_pledge_changelist")
    ask = placement_officer_client.post(
        url, {"action": "decline", ACTION_CHECKBOX_NAME: [pledge.pk]}
    )
    assert ask.status_code == 200 and b'name="reason"' in ask.content
    placement_officer_client.post(
        url,
        {
            "action": "decline",
            ACTION_CHECKBOX_NAME: [pledge.pk],
            "apply": "1",
            "reason": "Angkatan sudah penuh komitmen.",
        },
    )
    pledge.refresh_from_db()
    assert pledge.status == S.DECLINED
    assert pledge.events.last().reason == "Angkatan sudah penuh komitmen."


def test_link_intake_action_records_the_intake_that_answers_demand(placement_officer_client):
    statements = [DemandFactory(), DemandFactory()]
    cohort = CohortFactory()
    placement_officer_client.post(
        reverse("admin:placements_demandstatement_changelist"),
        {
            "action": "link_intake",
            ACTION_CHECKBOX_NAME: [s.pk for s in statements],
            "apply": "1",
            "cohort": cohort.pk,
        },
    )
    assert set(DemandStatement.objects.values_list("cohort", flat=True)) == {cohort.pk}


def test_staff_cannot_add_or_delete_pledges(placement_officer_client):
    pledge = PledgeFactory()
    assert placement_officer_client.get(reverse("admin:placements_pledge_add")).status_code == 403
    assert (
        placement_officer_client.get(
            reverse("admin:placements_pledge_delete", args=[pledge.pk])
        ).status_code
        == 403
    )


def test_figures_page_shows_pledges_kept(placement_officer_client):
    from placements.demand import services

    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort, seats=2, employer=EmployerFactory(name="PT Janji"))
    Placement.objects.create(
        employer=pledge.employer, person=graduate(cohort), start_date=cohort.training_end
    )
    services.pledge_settle(pledge=pledge, actor=None)
    response = placement_officer_client.get(reverse("admin:placements_pledge_figures"))
    (row,) = response.context["by_employer"]
    assert (row.label, row.seats, row.hired, row.kept_percent) == ("PT Janji", 2, 1, 50)


def test_figures_page_names_employers_that_broke_two_pledges(placement_officer_client):
    employer = EmployerFactory(name="PT Ingkar")
    PledgeFactory(employer=employer, status=S.BROKEN, cohort=ended_cohort())
    PledgeFactory(employer=employer, status=S.BROKEN, cohort=ended_cohort())
    PledgeFactory(employer=EmployerFactory(name="PT Sekali"), status=S.BROKEN)
    response = placement_officer_client.get(reverse("admin:placements_pledge_figures"))
    assert [e.name for e in response.context["broken_twice"]] == ["PT Ingkar"]
    assert response.content.decode().count('data-testid="broken-twice"') == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_demand_summary_query_count_is_flat(
    training_staff_client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        program = ProgramFactory()
        DemandFactory(track=program.track, program=program)
        CohortFactory(program=program)
    with django_assert_max_num_queries(12):
        response = training_staff_client.get(reverse("admin:placements_demandstatement_summary"))
    assert len(response.context["rows"]) >= rows


def test_the_changelist_filters_one_employer_as_the_staff_mail_links_it(
    placement_officer_client,
):
    mine, other = PledgeFactory(), PledgeFactory()
    response = placement_officer_client.get(
        reverse("admin:placements_pledge_changelist") + f"?employer__id__exact={mine.employer_id}"
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine] and other.pk != mine.pk
