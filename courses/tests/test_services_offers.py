"""Seats, the reserve list and its offers, daftar ulang and the periodic sweep."""

import datetime

import pytest
from django.utils import timezone

from courses.admissions.services.applications import application_withdraw
from courses.admissions.services.offers import (
    seat_offer_accept,
    seat_offer_decline,
    seat_offers_expire_due,
)
from courses.admissions.services.reregistration import (
    application_confirm,
    reregistrations_expire_due,
)
from courses.admissions.services.sweep import SweepReport, reminders_queue, selection_sweep
from courses.admissions.transitions import application_transition
from courses.catalogue.selectors import cohort_annotate_seats
from courses.errors import ApplicationError, OfferError
from courses.models import Application, ApplicationStatus, Cohort, SeatOffer
from notifications.models import Notification
from trainees.tests.factories import StaffFactory

from .factories import CohortFactory, application_in

pytestmark = pytest.mark.django_db
S = ApplicationStatus
HOUR = datetime.timedelta(hours=1)


def full_cohort(*, capacity=2, reserves=3, **kwargs):
    """A cohort whose seats are all accepted, with a numbered reserve list."""
    cohort = CohortFactory(capacity=capacity, **kwargs)
    accepted = [application_in(cohort, S.ACCEPTED) for _ in range(capacity)]
    reserve = [
        application_in(cohort, S.RESERVE, reserve_position=n) for n in range(1, reserves + 1)
    ]
    return cohort, accepted, reserve


def seats(cohort):
    return cohort_annotate_seats(Cohort.objects.filter(pk=cohort.pk)).get()


def status(application):
    application.refresh_from_db()
    return application.status


def open_offer(application):
    return SeatOffer.objects.filter(application=application, state=SeatOffer.State.OPEN).first()


# ------------------------------------------------------------------------------ seats


def test_full_cohort_refuses_acceptance():
    cohort, _accepted, _reserve = full_cohort(reserves=0)
    waiting = application_in(cohort, S.DOCUMENTS_VERIFIED)
    with pytest.raises(ApplicationError) as caught:
        application_transition(application=waiting, to=S.ACCEPTED, actor=None)
    assert caught.value.code == ApplicationError.COHORT_FULL
    assert status(waiting) == S.DOCUMENTS_VERIFIED


def test_moves_between_seat_holding_statuses_need_no_free_seat():
    cohort, accepted, _reserve = full_cohort(reserves=0)
    application_transition(application=accepted[0], to=S.CONFIRMED, actor=None)
    assert status(accepted[0]) == S.CONFIRMED


def test_an_open_offer_holds_its_seat():
    cohort, accepted, reserve = full_cohort()
    application_withdraw(application=accepted[0], actor=accepted[0].trainee.user)
    assert open_offer(reserve[0]) is not None
    other = application_in(cohort, S.DOCUMENTS_VERIFIED)
    with pytest.raises(ApplicationError) as caught:
        application_transition(application=other, to=S.ACCEPTED, actor=None)
    assert caught.value.code == ApplicationError.COHORT_FULL
    annotated = seats(cohort)
    assert (annotated.seats_taken, annotated.seats_offered, annotated.seats_left) == (1, 1, 0)


# ----------------------------------------------------------------------------- offers


def test_withdrawal_offers_the_seat_to_the_first_on_the_reserve_list(
    django_capture_on_commit_callbacks,
):
    cohort, accepted, reserve = full_cohort()
    before = timezone.now()
    application_withdraw(application=accepted[1], actor=accepted[1].trainee.user)
    offer = open_offer(reserve[0])
    assert offer is not None and offer.cohort == cohort
    assert open_offer(reserve[1]) is None
    assert before + 48 * HOUR <= offer.expires_at <= timezone.now() + 48 * HOUR
    mail = Notification.objects.get(kind="application.seat_offered")
    assert mail.recipient == reserve[0].trainee.user
    assert mail.context["url"] == offer.get_absolute_url()


def test_offer_time_follows_the_cohort_setting():
    cohort, accepted, reserve = full_cohort(offer_valid_hours=12)
    now = timezone.now()
    application_transition(
        application=accepted[0], to=S.WITHDRAWN, actor=None, reason="Pindah kota.", now=now
    )
    assert open_offer(reserve[0]).expires_at == now + 12 * HOUR


def test_offer_never_runs_past_the_start_of_training():
    start = timezone.localdate() + datetime.timedelta(days=1)
    cohort, accepted, reserve = full_cohort(
        training_start=start, registration_closes_at=timezone.now() - HOUR
    )
    application_withdraw(application=accepted[0], actor=None)
    assert open_offer(reserve[0]).expires_at == cohort.training_starts_at


def test_accepting_the_offer_takes_the_seat_and_counts_as_re_registration():
    cohort, accepted, reserve = full_cohort()
    application_withdraw(application=accepted[0], actor=None)
    offer = open_offer(reserve[0])
    person = reserve[0].trainee.user
    seat_offer_accept(offer=offer, actor=person)
    assert status(reserve[0]) == S.CONFIRMED
    offer.refresh_from_db()
    assert (offer.state, offer.closed_by) == (SeatOffer.State.ACCEPTED, person)
    steps = list(reserve[0].events.values_list("from_status", "to_status"))[-2:]
    assert steps == [(S.RESERVE, S.ACCEPTED), (S.ACCEPTED, S.CONFIRMED)]
    annotated = seats(cohort)
    assert (annotated.seats_taken, annotated.seats_offered, annotated.seats_left) == (2, 0, 0)
    with pytest.raises(OfferError) as caught:
        seat_offer_accept(offer=offer, actor=person)
    assert caught.value.code == OfferError.NOT_OPEN


def test_declining_passes_the_seat_to_the_next():
    cohort, accepted, reserve = full_cohort()
    application_withdraw(application=accepted[0], actor=None)
    offer = open_offer(reserve[0])
    seat_offer_decline(offer=offer, actor=reserve[0].trainee.user)
    assert status(reserve[0]) == S.WITHDRAWN
    offer.refresh_from_db()
    assert offer.state == SeatOffer.State.DECLINED
    assert open_offer(reserve[1]) is not None
    assert SeatOffer.objects.filter(state=SeatOffer.State.OPEN).count() == 1


def test_expiry_chains_to_the_next_and_a_second_sweep_changes_nothing():
    cohort, accepted, reserve = full_cohort()
    application_withdraw(application=accepted[0], actor=None)
    first = open_offer(reserve[0])

    later = first.expires_at + datetime.timedelta(minutes=1)
    assert seat_offers_expire_due(now=later) == 1
    first.refresh_from_db()
    assert first.state == SeatOffer.State.EXPIRED
    assert status(reserve[0]) == S.NOT_ACCEPTED
    expired = reserve[0].events.latest("pk")
    assert expired.reason == "" and expired.reason_code == "offer_expired"
    assert "daftar cadangan" in expired.reason_text  # read in Indonesian, the default
    second = open_offer(reserve[1])
    assert second is not None and second.expires_at == later + 48 * HOUR

    snapshot = list(SeatOffer.objects.values_list("pk", "state").order_by("pk"))
    events = reserve[0].events.count() + reserve[1].events.count()
    assert seat_offers_expire_due(now=later) == 0
    assert selection_sweep(now=later) == SweepReport(0, 0, 0)
    assert list(SeatOffer.objects.values_list("pk", "state").order_by("pk")) == snapshot
    assert reserve[0].events.count() + reserve[1].events.count() == events


def test_the_chain_ends_when_the_reserve_list_is_empty():
    cohort, accepted, reserve = full_cohort(reserves=1)
    application_withdraw(application=accepted[0], actor=None)
    offer = open_offer(reserve[0])
    seat_offer_decline(offer=offer, actor=None)
    assert not SeatOffer.objects.filter(state=SeatOffer.State.OPEN).exists()
    assert seats(cohort).seats_left == 1


def test_an_offer_past_its_time_cannot_be_accepted_even_before_the_sweep():
    cohort, accepted, reserve = full_cohort()
    application_withdraw(application=accepted[0], actor=None)
    offer = open_offer(reserve[0])
    with pytest.raises(OfferError) as caught:
        seat_offer_accept(offer=offer, actor=None, now=offer.expires_at)
    assert caught.value.code == OfferError.EXPIRED
    assert status(reserve[0]) == S.RESERVE


def test_a_reserve_with_an_offer_who_withdraws_passes_it_on():
    cohort, accepted, reserve = full_cohort()
    application_withdraw(application=accepted[0], actor=None)
    offer = open_offer(reserve[0])
    application_withdraw(application=reserve[0], actor=reserve[0].trainee.user)
    offer.refresh_from_db()
    assert offer.state == SeatOffer.State.CANCELLED
    assert open_offer(reserve[1]) is not None


def test_staff_accepting_a_reserve_with_an_offer_closes_it_as_accepted():
    cohort, accepted, reserve = full_cohort()
    application_withdraw(application=accepted[0], actor=None)
    offer = open_offer(reserve[0])
    application_transition(application=reserve[0], to=S.ACCEPTED, actor=StaffFactory())
    offer.refresh_from_db()
    assert offer.state == SeatOffer.State.ACCEPTED
    assert seats(cohort).seats_left == 0


def test_several_freed_seats_go_to_as_many_reserves_in_order():
    cohort, accepted, reserve = full_cohort(capacity=3, reserves=4)
    for application in accepted:
        application_withdraw(application=application, actor=None)
    assert [open_offer(r) is not None for r in reserve] == [True, True, True, False]


def test_no_offer_once_training_has_started():
    cohort, accepted, reserve = full_cohort()
    later = cohort.training_starts_at + HOUR
    application_transition(
        application=accepted[0], to=S.WITHDRAWN, actor=None, reason="Sakit.", now=later
    )
    assert not SeatOffer.objects.exists()


def test_training_start_closes_open_offers_and_the_reserve_list():
    cohort, accepted, reserve = full_cohort(reserves=2)
    for application in accepted:
        application_transition(application=application, to=S.CONFIRMED, actor=None)
    Application.objects.filter(pk=accepted[1].pk).update(status=S.ACCEPTED)  # one unconfirmed
    accepted[1].refresh_from_db()
    application_withdraw(application=accepted[0], actor=None)
    offer = open_offer(reserve[0])
    assert offer is not None

    start = cohort.training_starts_at + HOUR
    report = selection_sweep(now=start)
    offer.refresh_from_db()
    # The offer ran until the first training day (its time is capped there).
    assert offer.state == SeatOffer.State.EXPIRED
    assert status(reserve[0]) == S.NOT_ACCEPTED
    assert status(reserve[1]) == S.NOT_ACCEPTED
    # The unconfirmed one missed daftar ulang (deadline: the first day); no new offers.
    assert status(accepted[1]) == S.WITHDRAWN
    assert not SeatOffer.objects.filter(state=SeatOffer.State.OPEN).exists()
    assert report.reregistrations_missed == 1
    assert selection_sweep(now=start) == SweepReport(0, 0, 0)


def test_confirmed_trainees_are_in_training_from_the_first_day():
    cohort = CohortFactory()
    confirmed = application_in(cohort, S.CONFIRMED)
    report = selection_sweep(now=cohort.training_starts_at)
    assert status(confirmed) == S.IN_TRAINING
    assert report.training_started == 1


def test_cancelled_cohort_makes_no_offers():
    cohort, accepted, reserve = full_cohort(is_cancelled=True)
    application_withdraw(application=accepted[0], actor=None)
    assert not SeatOffer.objects.exists()


# --------------------------------------------------------------------- daftar ulang


def deadline_cohort(**kwargs):
    deadline = timezone.now() + datetime.timedelta(days=10)
    return CohortFactory(reregistration_deadline=deadline, **kwargs)


def test_confirm_before_the_deadline():
    cohort = deadline_cohort()
    application = application_in(cohort, S.ACCEPTED)
    application_confirm(application=application, actor=application.trainee.user)
    assert status(application) == S.CONFIRMED


def test_confirm_after_the_deadline_is_refused():
    cohort = deadline_cohort()
    application = application_in(cohort, S.ACCEPTED)
    with pytest.raises(ApplicationError) as caught:
        application_confirm(application=application, actor=None, now=cohort.reregistration_deadline)
    assert caught.value.code == ApplicationError.REREGISTRATION_CLOSED
    assert status(application) == S.ACCEPTED


def test_missed_re_registration_frees_the_seat_for_the_reserve_list():
    cohort = deadline_cohort(capacity=2)
    late = application_in(cohort, S.ACCEPTED)
    on_time = application_in(cohort, S.CONFIRMED)
    waiting = application_in(cohort, S.RESERVE, reserve_position=1)
    after = cohort.reregistration_deadline + datetime.timedelta(minutes=5)

    assert reregistrations_expire_due(now=cohort.reregistration_deadline - HOUR) == 0
    assert reregistrations_expire_due(now=after) == 1
    assert status(late) == S.WITHDRAWN
    assert "daftar ulang" in late.events.latest("pk").reason_text.lower()
    assert status(on_time) == S.CONFIRMED
    assert open_offer(waiting) is not None
    assert reregistrations_expire_due(now=after) == 0


def test_reminders_are_queued_once(django_capture_on_commit_callbacks):
    deadline = timezone.now() + datetime.timedelta(days=1)
    cohort = CohortFactory(
        registration_opens_at=timezone.now() - datetime.timedelta(days=20),
        registration_closes_at=timezone.now() - datetime.timedelta(days=1),
        reregistration_deadline=deadline,
        training_start=timezone.localdate() + datetime.timedelta(days=3),
    )
    accepted = application_in(cohort, S.ACCEPTED)
    confirmed = application_in(cohort, S.CONFIRMED)
    assert reminders_queue() == 2
    assert reminders_queue() == 2  # the same keys: the outbox keeps one of each
    reminder = Notification.objects.get(kind="application.reregistration_reminder")
    assert reminder.recipient == accepted.trainee.user
    start = Notification.objects.get(kind="cohort.start_reminder")
    assert start.recipient == confirmed.trainee.user
    assert start.context["location"] == cohort.location


def test_the_first_day_message_says_where_when_what_to_bring_and_whom_to_ask():
    from notifications.rendering import notification_message_build

    cohort = CohortFactory(
        registration_opens_at=timezone.now() - datetime.timedelta(days=20),
        registration_closes_at=timezone.now() - datetime.timedelta(days=1),
        training_start=timezone.localdate() + datetime.timedelta(days=3),
        location="Bengkel Las, STC Batang, Kandeman",
        schedule="Senin–Jumat, 08.00–16.00 WIB",
        first_day_bring="KTP asli\nSepatu tertutup",
        contact="Bu Sri, 0812 3456 7890",
    )
    application_in(cohort, S.CONFIRMED)
    assert reminders_queue() == 1
    start = Notification.objects.get(kind="cohort.start_reminder")
    text = notification_message_build(notification=start).body
    for fact in (
        "Tempat: Bengkel Las, STC Batang, Kandeman",
        "Senin–Jumat, 08.00–16.00 WIB",
        "Yang perlu dibawa: KTP asli\nSepatu tertutup",
        "Narahubung: Bu Sri, 0812 3456 7890",
    ):
        assert fact in text


def test_withdrawing_sends_a_message_that_says_who_withdrew(django_capture_on_commit_callbacks):

    from notifications.rendering import notification_message_build

    cohort = CohortFactory()
    own = application_in(cohort, S.SUBMITTED)
    application_withdraw(application=own, actor=own.trainee.user)
    sent = Notification.objects.get(kind="application.withdrawn", recipient=own.trainee.user)
    assert sent.context["by_applicant"] is True
    assert "Anda menarik lamaran" in notification_message_build(notification=sent).body
    by_staff = application_in(cohort, S.SUBMITTED)
    application_transition(
        application=by_staff, to=S.WITHDRAWN, actor=StaffFactory(), reason="Data ganda"
    )
    sent = Notification.objects.get(kind="application.withdrawn", recipient=by_staff.trainee.user)
    body = notification_message_build(notification=sent).body
    assert "telah ditarik" in body and "Data ganda" in body
