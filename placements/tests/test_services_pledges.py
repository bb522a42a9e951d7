"""The pledge state machine, counting hires against pledges, invitations, reminders."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core.roles import PLACEMENT_OFFICER
from courses.tests.factories import CohortFactory
from notifications.models import Notification
from placements.demand import rules, selectors, services
from placements.demand.models import Pledge, PledgeEvent, PledgeInvitation
from placements.errors import PledgeError
from placements.models import Placement

from .factories import (
    EmployerFactory,
    PledgeFactory,
    StaffFactory,
    employer_account,
    ended_cohort,
    graduate,
    pledge_invite_by_employer,
)

pytestmark = pytest.mark.django_db
S = Pledge.Status
Kind = Notification.Kind
TODAY = timezone.localdate


def offer_data(cohort, **overrides):
    data = {
        "kind": Pledge.Kind.SEATS,
        "seats": 4,
        "wage_min": 2_900_000,
        "wage_max": 3_200_000,
        "start_from": cohort.training_end,
        "start_until": cohort.training_end + datetime.timedelta(days=45),
        "local_share": 70,
        "note": "",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ the state machine

# sorted: the targets are sets, and pytest-xdist workers must collect the same order.
ALLOWED = [(a, b) for a, targets in rules.PLEDGE_ALLOWED.items() for b in sorted(targets)]
REFUSED = [(a, b) for a in S.values for b in S.values if b not in rules.PLEDGE_ALLOWED[a]]


@pytest.mark.parametrize(("from_status", "to"), ALLOWED)
def test_every_allowed_move_changes_status_and_leaves_an_event(from_status, to):
    pledge = PledgeFactory(status=from_status)
    staff = StaffFactory()
    services.pledge_transition(pledge=pledge, to=to, actor=staff, reason="cukup jelas")
    pledge.refresh_from_db()
    assert pledge.status == to
    event = pledge.events.order_by("pk").last()
    assert (event.from_status, event.to_status, event.actor) == (from_status, to, staff)
    if to in rules.SETTLED:
        assert pledge.hired_count == 0 and event.data["numbers"]["hired"] == 0


@pytest.mark.parametrize(("from_status", "to"), REFUSED)
def test_every_other_move_is_refused_with_a_typed_error(from_status, to):
    pledge = PledgeFactory(status=from_status)
    with pytest.raises(PledgeError) as info:
        services.pledge_transition(pledge=pledge, to=to, actor=None, reason="x")
    assert info.value.code == PledgeError.TRANSITION_NOT_ALLOWED
    pledge.refresh_from_db()
    assert pledge.status == from_status
    assert pledge.events.count() == 1


def test_declining_needs_a_reason():
    pledge = PledgeFactory(offered=True)
    with pytest.raises(PledgeError) as info:
        services.pledge_decline(pledge=pledge, actor=StaffFactory(), reason="  ")
    assert info.value.code == PledgeError.REASON_REQUIRED
    pledge.refresh_from_db()
    assert pledge.status == S.OFFERED


def test_accepting_tells_the_employer_and_the_public_pages_show_it():
    pledge = PledgeFactory(offered=True)
    user = employer_account(pledge.employer)
    assert selectors.pledge_list_public_for_program(slug=pledge.cohort.program.slug) == []
    services.pledge_accept(pledge=pledge, actor=StaffFactory())
    mail = Notification.objects.get(kind=Kind.PLEDGE_STATUS_CHANGED)
    assert mail.recipient == user and mail.context["status"] == {"__msgid__": "Accepted"}
    assert selectors.pledge_list_public_for_program(slug=pledge.cohort.program.slug) == [pledge]
    assert selectors.pledge_list_public_for_cohort(code=pledge.cohort.code) == [pledge]


def test_only_the_pledging_employer_withdraws_an_offered_pledge():
    pledge = PledgeFactory(offered=True)
    other = EmployerFactory()
    with pytest.raises(PledgeError) as info:
        services.pledge_withdraw(pledge=pledge, employer=other, actor=employer_account(other))
    assert info.value.code == PledgeError.TRANSITION_NOT_ALLOWED
    services.pledge_withdraw(
        pledge=pledge, employer=pledge.employer, actor=employer_account(pledge.employer)
    )
    pledge.refresh_from_db()
    assert pledge.status == S.WITHDRAWN
    assert not Notification.objects.filter(kind=Kind.PLEDGE_STATUS_CHANGED).exists()


# ------------------------------------------------------------------------- offering


def test_offer_creates_an_offered_pledge_with_its_first_event():
    cohort = CohortFactory()
    employer = EmployerFactory()
    user = employer_account(employer)
    pledge = services.pledge_offer(
        employer=employer, cohort=cohort, actor=user, data=offer_data(cohort)
    )
    assert pledge.status == S.OFFERED and pledge.seats == 4 and pledge.local_committed == 3
    assert list(pledge.events.values_list("from_status", "to_status")) == [("", S.OFFERED)]


def test_interview_pledge_keeps_no_seat_number():
    cohort = CohortFactory()
    employer = EmployerFactory()
    pledge = services.pledge_offer(
        employer=employer,
        cohort=cohort,
        actor=employer_account(employer),
        data=offer_data(cohort, kind=Pledge.Kind.INTERVIEW_ALL, seats=7),
    )
    assert pledge.seats is None


@pytest.mark.parametrize(
    ("setup", "overrides", "code"),
    [
        ("unverified", {}, PledgeError.EMPLOYER_NOT_VERIFIED),
        ("ended", {}, PledgeError.INTAKE_NOT_OPEN),
        ("cancelled", {}, PledgeError.INTAKE_NOT_OPEN),
        ("", {"seats": None}, PledgeError.SEATS_REQUIRED),
        ("", {"wage_min": 1_000_000}, PledgeError.WAGE_BELOW_UMK),
        ("early", {}, PledgeError.START_BEFORE_END),
        ("duplicate", {}, PledgeError.DUPLICATE),
    ],
)
def test_offer_refusals(setup, overrides, code):
    employer = EmployerFactory(verified_at=None if setup == "unverified" else timezone.now())
    if setup == "ended":
        cohort = ended_cohort()
    else:
        cohort = CohortFactory(is_cancelled=setup == "cancelled")
    data = offer_data(cohort, **overrides)
    if setup == "early":
        data["start_from"] = data["start_until"] = cohort.training_end - datetime.timedelta(days=1)
    if setup == "duplicate":
        PledgeFactory(employer=employer, cohort=cohort)
    with pytest.raises(PledgeError) as info:
        services.pledge_offer(
            employer=employer, cohort=cohort, actor=employer_account(employer), data=data
        )
    assert info.value.code == code
    assert Pledge.objects.filter(employer=employer).count() == (1 if setup == "duplicate" else 0)


def test_a_withdrawn_pledge_does_not_block_a_new_one():
    cohort = CohortFactory()
    employer = EmployerFactory()
    PledgeFactory(employer=employer, cohort=cohort, status=S.WITHDRAWN)
    services.pledge_offer(
        employer=employer, cohort=cohort, actor=employer_account(employer), data=offer_data(cohort)
    )
    assert Pledge.objects.filter(employer=employer, status=S.OFFERED).count() == 1


# ------------------------------------------------------------ counting hires, settling


def _hire(employer, person, start, **kwargs):
    return Placement.objects.create(
        employer=employer, person=person, start_date=start, source="outside", **kwargs
    )


def test_hires_are_counted_against_the_pledge_on_known_data():
    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort, seats=4, local_share=75)
    employer = pledge.employer
    day = cohort.training_end + datetime.timedelta(days=5)
    local_a, local_b = graduate(cohort), graduate(cohort)
    outsider = graduate(cohort, local=False)
    graduate(cohort)  # passed, never hired
    failed = graduate(cohort, status="not_passed")
    elsewhere = graduate(ended_cohort(program=cohort.program))
    late = graduate(cohort)
    _hire(employer, local_a, day)
    _hire(employer, local_a, day + datetime.timedelta(days=1))  # twice: one person
    _hire(employer, outsider, day)
    _hire(EmployerFactory(), local_b, day)  # another employer's hire
    _hire(employer, failed, day)  # did not pass
    _hire(employer, elsewhere, day)  # graduate of another intake
    _hire(employer, late, pledge.start_until + datetime.timedelta(days=1))  # after the window
    assert selectors.pledge_numbers(pledge=pledge) == {
        "hired": 2,
        "local_hired": 1,
        "invited": 0,
        "graduates": 5,
    }
    services.pledge_settle(pledge=pledge, actor=StaffFactory(), reason="")
    pledge.refresh_from_db()
    assert pledge.status == S.PARTLY_FULFILLED
    assert (pledge.hired_count, pledge.local_hired_count, pledge.local_committed) == (2, 1, 3)
    (row,) = selectors.pledge_kept_by_employer()
    assert (row.seats, row.hired, row.kept_percent, row.local_committed, row.local_hired) == (
        4,
        2,
        50,
        3,
        1,
    )


@pytest.mark.parametrize(
    ("hires", "outcome"),
    [(0, S.BROKEN), (1, S.PARTLY_FULFILLED), (2, S.FULFILLED), (3, S.FULFILLED)],
)
def test_settling_a_seat_pledge(hires, outcome):
    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort, seats=2)
    for _ in range(hires):
        _hire(pledge.employer, graduate(cohort), cohort.training_end)
    services.pledge_settle(pledge=pledge, actor=None)
    pledge.refresh_from_db()
    assert pledge.status == outcome and pledge.hired_count == hires
    assert pledge.events.last().reason_code == "window_ended"


def test_an_interview_pledge_is_kept_when_every_consenting_graduate_was_invited():
    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort, interview=True)
    user = employer_account(pledge.employer)
    first, second = graduate(cohort), graduate(cohort)
    graduate(cohort, consent=False)  # not findable: not owed an invitation
    services.pledge_invite(
        pledge=pledge, employer=pledge.employer, person=first, actor=user, message="Datang ya"
    )
    assert selectors.pledge_numbers(pledge=pledge)["graduates"] == 2
    services.pledge_invite(
        pledge=pledge, employer=pledge.employer, person=second, actor=user, message="Datang ya"
    )
    services.pledge_settle(pledge=pledge, actor=None)
    pledge.refresh_from_db()
    assert pledge.status == S.FULFILLED and pledge.invited_count == 2


def test_settle_refuses_a_pledge_that_is_not_accepted():
    pledge = PledgeFactory(offered=True)
    with pytest.raises(PledgeError) as info:
        services.pledge_settle(pledge=pledge, actor=StaffFactory())
    assert info.value.code == PledgeError.NOT_ACCEPTED


def test_settle_due_settles_only_accepted_pledges_past_their_window():
    cohort = ended_cohort()
    past = PledgeFactory(cohort=cohort, start_until=TODAY() - datetime.timedelta(days=1))
    running = PledgeFactory(cohort=cohort)
    offered = PledgeFactory(
        cohort=cohort,
        offered=True,
        start_until=TODAY() - datetime.timedelta(days=1),
        employer=EmployerFactory(),
    )
    assert services.pledge_settle_due(today=TODAY()) == 1
    assert services.pledge_settle_due(today=TODAY()) == 0
    states = {p.pk: p.status for p in Pledge.objects.all()}
    assert states == {past.pk: S.BROKEN, running.pk: S.ACCEPTED, offered.pk: S.OFFERED}


def test_staff_are_told_when_an_employer_broke_a_second_pledge():
    officer = StaffFactory()
    officer.groups.add(Group.objects.get(name=PLACEMENT_OFFICER))
    employer = EmployerFactory()
    first = PledgeFactory(employer=employer, cohort=ended_cohort())
    second = PledgeFactory(employer=employer, cohort=ended_cohort())
    services.pledge_settle(pledge=first, actor=None)
    assert not Notification.objects.filter(kind=Kind.PLEDGES_BROKEN).exists()
    services.pledge_settle(pledge=second, actor=None)
    mail = Notification.objects.get(kind=Kind.PLEDGES_BROKEN)
    assert mail.recipient == officer and mail.context["broken"] == 2
    assert list(selectors.employer_list_broken_twice()) == [employer]


# ------------------------------------------------------------------------ invitations


def test_invitation_keeps_the_snapshot_and_mails_the_graduate():
    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort)
    user = employer_account(pledge.employer)
    person = graduate(cohort)
    invitation = services.pledge_invite(
        pledge=pledge, employer=pledge.employer, person=person, actor=user, message=" Halo "
    )
    assert invitation.message == "Halo"
    assert invitation.snapshot["full_name"] == person.full_name
    mail = Notification.objects.get(kind=Kind.PLEDGE_INVITATION)
    assert mail.recipient == person and mail.context["message"] == "Halo"
    assert pledge.events.filter(category=PledgeEvent.Category.INVITED).count() == 1
    with pytest.raises(PledgeError) as info:
        services.pledge_invite(
            pledge=pledge, employer=pledge.employer, person=person, actor=user, message="x"
        )
    assert info.value.code == PledgeError.ALREADY_INVITED


def test_no_invitation_before_the_intake_ended():
    cohort = CohortFactory()
    pledge = PledgeFactory(cohort=cohort)
    person = graduate(cohort)
    with pytest.raises(PledgeError) as info:
        pledge_invite_by_employer(pledge, person)
    assert info.value.code == PledgeError.INTAKE_NOT_ENDED
    assert not PledgeInvitation.objects.exists()


@pytest.mark.parametrize("who", ["no_consent", "not_passed", "other_intake"])
def test_no_invitation_to_someone_who_is_not_a_consenting_graduate(who):
    from django.http import Http404

    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort)
    person = {
        "no_consent": lambda: graduate(cohort, consent=False),
        "not_passed": lambda: graduate(cohort, status="dropped_out"),
        "other_intake": lambda: graduate(ended_cohort()),
    }[who]()
    with pytest.raises(Http404):
        pledge_invite_by_employer(pledge, person)
    assert not PledgeInvitation.objects.exists()


def test_graduates_are_listed_only_after_the_intake_ended_and_with_consent():
    cohort = CohortFactory()
    pledge = PledgeFactory(cohort=cohort)
    yes = graduate(cohort)
    graduate(cohort, consent=False)
    assert selectors.pledge_graduate_list(pledge=pledge) == []
    later = cohort.training_end + datetime.timedelta(days=1)
    rows = selectors.pledge_graduate_list(pledge=pledge, today=later)
    assert [r.person_id for r in rows] == [yes.pk]
    pledge.status = S.OFFERED
    assert selectors.pledge_graduate_list(pledge=pledge, today=later) == []


# -------------------------------------------------------------------------- reminders


def test_reminders_before_the_intake_ends_and_before_the_pledge_lapses_go_once():
    ending = PledgeFactory(
        cohort=CohortFactory(
            training_start=TODAY() - datetime.timedelta(days=30),
            training_end=TODAY() + datetime.timedelta(days=3),
        )
    )
    cohort = ended_cohort()
    lapsing = PledgeFactory(cohort=cohort, start_until=TODAY() + datetime.timedelta(days=10))
    kept = PledgeFactory(cohort=cohort, seats=1, start_until=TODAY() + datetime.timedelta(days=10))
    _hire(kept.employer, graduate(cohort), TODAY())
    for pledge in (ending, lapsing, kept):
        employer_account(pledge.employer)
    assert services.pledge_remind_due(today=TODAY()) == 2
    assert services.pledge_remind_due(today=TODAY()) == 0
    kinds = dict(Notification.objects.values_list("kind", "context__cohort"))
    assert kinds == {
        Kind.PLEDGE_INTAKE_ENDING: ending.cohort.code,
        Kind.PLEDGE_LAPSING: lapsing.cohort.code,
    }


# --------------------------------------------------------------------- periodic jobs


@pytest.mark.parametrize(
    ("entry", "task"),
    [
        ("placements-settle-pledges", "placements.tasks.pledge_settle_due_task"),
        ("placements-remind-pledges", "placements.tasks.pledge_remind_due_task"),
    ],
)
def test_pledge_jobs_run_daily_on_the_periodic_queue(settings, entry, task):
    from batang_portal.celery import app

    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] == task
    assert app.amqp.router.route({}, task)["queue"].name == "periodic"


def test_the_settle_task_is_a_thin_idempotent_shell():
    from placements.tasks import pledge_remind_due_task, pledge_settle_due_task

    PledgeFactory(cohort=ended_cohort(), start_until=TODAY() - datetime.timedelta(days=1))
    assert pledge_settle_due_task() == 1
    assert pledge_settle_due_task() == 0
    assert pledge_remind_due_task() == 0


def test_a_hire_in_the_employer_pipeline_counts_against_the_pledge():
    from placements import services as placement_services

    from .factories import JobApplicationFactory, VacancyFactory

    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort, seats=1)
    user = employer_account(pledge.employer)
    person = graduate(cohort)
    application = JobApplicationFactory(
        vacancy=VacancyFactory(employer=pledge.employer), person=person, status="offered"
    )
    placement_services.job_application_move(
        job_application=application,
        employer=pledge.employer,
        actor=user,
        to="hired",
        start_date=TODAY(),
        salary=3_000_000,
    )
    assert selectors.pledge_numbers(pledge=pledge)["hired"] == 1
    services.pledge_settle(pledge=pledge, actor=None)
    pledge.refresh_from_db()
    assert pledge.status == S.FULFILLED
