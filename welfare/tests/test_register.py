"""The cover register: its state machine (one door), the sync, batches and the answer."""

import datetime
import itertools

import pytest

from courses.tests.factories import CohortFactory, application_in
from welfare import rules, services
from welfare.errors import CoverError
from welfare.models import (
    Coverage,
    CoverageEvent,
    CoverageStatus,
    CoverBatch,
    RefusalReason,
    months_spanned,
)

from .factories import CoverPolicyFactory

pytestmark = pytest.mark.django_db
C = CoverageStatus


def _line(status=C.TO_REGISTER):
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    application = application_in(cohort, "confirmed")
    batch = CoverBatch.objects.create(cohort=cohort, number=1, sent_on=cohort.training_start)
    coverage = Coverage.objects.create(
        application=application, cohort=cohort, status=status, batch=batch
    )
    return coverage, batch


def _move(coverage, to, batch):
    return services.coverage_transition(
        coverage=coverage,
        to=to,
        actor=None,
        batch=batch,
        kpj_number="26012345678",
        refusal_reason=RefusalReason.NIK_NOT_MATCHED,
    )


ALL_PAIRS = list(itertools.product(C.values, C.values))
ALLOWED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b in rules.ALLOWED[a]]
REFUSED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b not in rules.ALLOWED[a]]


@pytest.mark.parametrize(("start", "to"), ALLOWED_PAIRS)
def test_every_allowed_move_goes_through_the_door_and_leaves_an_event(start, to):
    coverage, batch = _line(start)
    _move(coverage, to, batch)
    coverage.refresh_from_db()
    assert coverage.status == to
    event = coverage.events.get()
    assert (event.from_status, event.to_status) == (start, to)


@pytest.mark.parametrize(("start", "to"), REFUSED_PAIRS)
def test_every_other_move_is_refused_and_changes_nothing(start, to):
    coverage, batch = _line(start)
    with pytest.raises(CoverError) as caught:
        _move(coverage, to, batch)
    assert caught.value.code == CoverError.TRANSITION_NOT_ALLOWED
    coverage.refresh_from_db()
    assert coverage.status == start
    assert not coverage.events.exists()


def test_the_table_covers_every_status_and_ended_is_final():
    assert set(rules.ALLOWED) == set(C.values)
    assert rules.ALLOWED[C.ENDED] == frozenset()


def test_refusal_needs_a_reason_and_activation_a_valid_kpj():
    coverage, batch = _line(C.SENT)
    with pytest.raises(CoverError) as caught:
        services.coverage_transition(coverage=coverage, to=C.REFUSED, actor=None)
    assert caught.value.code == CoverError.REASON_REQUIRED
    with pytest.raises(CoverError) as caught:
        services.coverage_transition(coverage=coverage, to=C.ACTIVE, actor=None, kpj_number="123")
    assert caught.value.code == CoverError.KPJ_INVALID
    coverage.refresh_from_db()
    assert coverage.status == C.SENT


def test_months_are_calendar_months_touched():
    assert months_spanned(datetime.date(2026, 1, 30), datetime.date(2026, 3, 5)) == 3
    assert months_spanned(datetime.date(2026, 1, 5), datetime.date(2026, 1, 25)) == 1
    assert months_spanned(datetime.date(2026, 11, 20), datetime.date(2027, 1, 10)) == 3
    assert months_spanned(datetime.date(2026, 2, 1), datetime.date(2026, 1, 1)) == 0


def test_policy_shows_its_span_and_defaults():
    policy = CoverPolicyFactory(
        cohort=CohortFactory(
            training_start=datetime.date(2026, 3, 30), training_end=datetime.date(2026, 5, 8)
        )
    )
    assert policy.monthly_contribution == 16800
    assert policy.programmes == ["JKK", "JKM"]
    assert policy.months == 3
    assert policy.cost_per_trainee == 16800 * 3


def test_policy_starting_at_daftar_ulang_covers_the_first_journey():
    from django.utils import timezone

    cohort = CohortFactory()
    cohort.reregistration_deadline = timezone.make_aware(
        datetime.datetime.combine(
            cohort.training_start - datetime.timedelta(days=5), datetime.time(12)
        )
    )
    cohort.save()
    policy = CoverPolicyFactory(cohort=cohort, start_rule="reregistration")
    assert policy.starts_on == cohort.training_start - datetime.timedelta(days=5)
    first_day = CoverPolicyFactory(cohort=CohortFactory())
    assert first_day.starts_on == first_day.cohort.training_start


def test_batch_sends_every_seat_holder_and_the_reserve_taker_joins_the_next():
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    first = [application_in(cohort, "confirmed") for _ in range(2)]
    application_in(cohort, "submitted")  # no seat: no cover
    reserve = application_in(cohort, "reserve")

    batch = services.cover_batch_send(cohort=cohort, actor=None)
    assert batch.number == 1
    assert set(batch.coverages.values_list("application_id", flat=True)) == {a.pk for a in first}

    # The reserve person takes a freed seat: the next batch sends them, and only them.
    reserve.status = "accepted"
    reserve.save()
    second = services.cover_batch_send(cohort=cohort, actor=None)
    assert second.number == 2
    assert list(second.coverages.values_list("application_id", flat=True)) == [reserve.pk]
    line = Coverage.objects.get(application=reserve)
    assert list(line.events.values_list("from_status", "to_status")) == [
        ("", C.TO_REGISTER),
        (C.TO_REGISTER, C.SENT),
    ]


def test_a_batch_without_policy_or_people_is_refused():
    cohort = CohortFactory()
    application_in(cohort, "confirmed")
    with pytest.raises(CoverError) as caught:
        services.cover_batch_send(cohort=cohort, actor=None)
    assert caught.value.code == CoverError.NO_POLICY
    CoverPolicyFactory(cohort=cohort)
    services.cover_batch_send(cohort=cohort, actor=None)
    with pytest.raises(CoverError) as caught:
        services.cover_batch_send(cohort=cohort, actor=None)
    assert caught.value.code == CoverError.NOTHING_TO_SEND
    assert CoverBatch.objects.filter(cohort=cohort).count() == 1


def test_people_who_leave_end_their_line_and_cover_ends_after_training():
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    stays = application_in(cohort, "in_training")
    leaves = application_in(cohort, "confirmed")
    services.coverage_sync_cohort(cohort=cohort)
    leaves.status = "withdrawn"
    leaves.save()
    line = Coverage.objects.get(application=stays)
    services.coverage_transition(
        coverage=line,
        to=C.SENT,
        actor=None,
        batch=CoverBatch.objects.create(cohort=cohort, number=1, sent_on=cohort.training_start),
    )
    services.coverage_transition(coverage=line, to=C.ACTIVE, actor=None, kpj_number="26012345678")
    services.coverage_sync_cohort(cohort=cohort)
    assert Coverage.objects.get(application=leaves).status == C.ENDED
    assert Coverage.objects.get(application=stays).status == C.ACTIVE
    services.coverage_sync_cohort(
        cohort=cohort, today=cohort.training_end + datetime.timedelta(days=1)
    )
    ended = Coverage.objects.get(application=stays)
    assert ended.status == C.ENDED
    assert ended.events.last().reason_code == "training_over"


def test_activation_tells_the_trainee_once(django_capture_on_commit_callbacks):
    from notifications.models import Notification

    coverage, batch = _line(C.SENT)
    services.coverage_transition(
        coverage=coverage, to=C.ACTIVE, actor=None, kpj_number="26012345678"
    )
    row = Notification.objects.get(kind="cover.active")
    assert row.recipient_id == coverage.application.trainee.user_id
    assert row.context["kpj"] == "26012345678"
    assert row.context["programmes"] == "JKK, JKM"


def test_card_is_a_fact_on_an_active_line_only():
    coverage, batch = _line(C.SENT)
    with pytest.raises(CoverError):
        services.coverage_card_record(coverage=coverage, actor=None)
    services.coverage_transition(
        coverage=coverage, to=C.ACTIVE, actor=None, kpj_number="26012345678"
    )
    services.coverage_card_record(coverage=coverage, actor=None)
    services.coverage_card_record(coverage=coverage, actor=None)
    coverage.refresh_from_db()
    assert coverage.card_received
    assert coverage.events.filter(category=CoverageEvent.Category.CARD).count() == 1
