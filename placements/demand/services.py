"""Writes of employer demand and pledges.

`pledge_transition` is the only code that assigns `Pledge.status` (map
`rules.PLEDGE_ALLOWED`); every move leaves a `PledgeEvent` and tells the employer.
Entry points are keyword-only, run in their own durable transaction (the admin's
actions too) and raise `DemandError` / `PledgeError`.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.cache import public_cache_bump
from core.events import event_record, status_move
from core.formatting import format_rupiah
from core.roles import PLACEMENT_OFFICER
from courses.models import Cohort
from notifications.models import Notification
from notifications.services import notification_queue

from ..errors import DemandError, PledgeError
from ..models import Employer, placement_policy
from ..selectors import job_application_snapshot
from ..services._notify import _tell_members
from . import rules, selectors
from .models import DemandStatement, Pledge, PledgeEvent, PledgeInvitation
from .rules import DEMAND_FIELDS, PLEDGE_FIELDS

Kind = Notification.Kind
S = Pledge.Status

# Reminders: before the intake ends, and before an accepted pledge's window closes.
INTAKE_ENDING_DAYS = 7
LAPSING_DAYS = 14


def _umk_error(error_class, code: str, wage: int):
    policy = placement_policy()
    return error_class(
        code,
        _(
            "The wage of %(wage)s a month is below the UMK of Kabupaten Batang for "
            "%(year)s (%(umk)s)."
        )
        % {
            "wage": format_rupiah(wage),
            "year": policy.umk_year,
            "umk": format_rupiah(policy.umk),
        },
    )


# --------------------------------------------------------------------------- demand


def _demand_check(*, employer: Employer, data: dict, units, today: datetime.date) -> None:
    if not employer.is_verified:
        raise DemandError(
            DemandError.EMPLOYER_NOT_VERIFIED,
            _("Demand can be stated once the training center has verified your company."),
        )
    if data["wage_min"] < placement_policy().umk:
        raise _umk_error(DemandError, DemandError.WAGE_BELOW_UMK, data["wage_min"])
    if data["quarter"] < rules.quarter_of(today):
        raise DemandError(DemandError.QUARTER_PAST, _("This quarter is over already."))
    program = data.get("program")
    if program is not None and program.track_id != data["track"].pk:
        raise DemandError(
            DemandError.PROGRAM_OF_ANOTHER_TRACK,
            _("The program “%(program)s” belongs to another track.") % {"program": program},
        )
    for unit in units or ():
        if program is None or unit.program_id != program.pk:
            raise DemandError(
                DemandError.UNIT_OF_ANOTHER_PROGRAM,
                _("Choose SKKNI units of the program you named."),
            )


def demand_create(
    *, employer: Employer, actor: User, data: dict, units=(), today: datetime.date | None = None
) -> DemandStatement:
    """The employer states how many people it expects to hire, when, at what wage."""
    today = today or timezone.localdate()
    _demand_check(employer=employer, data=data, units=units, today=today)
    with transaction.atomic(durable=True):
        statement = DemandStatement.objects.create(
            employer=employer,
            created_by=actor,
            **{
                f: data.get(f) if f != "skills" else (data.get(f) or "").strip()
                for f in DEMAND_FIELDS
            },
        )
        statement.units.set(units or ())
    return statement


def demand_update(
    *, statement: DemandStatement, data: dict, units=(), today: datetime.date | None = None
) -> DemandStatement:
    """Change a demand statement (the employer's own, as the caller scoped it)."""
    today = today or timezone.localdate()
    _demand_check(employer=statement.employer, data=data, units=units, today=today)
    with transaction.atomic(durable=True):
        for f in DEMAND_FIELDS:
            setattr(statement, f, data.get(f) if f != "skills" else (data.get(f) or "").strip())
        statement.save()
        statement.units.set(units or ())
    return statement


def demand_delete(*, statement: DemandStatement) -> None:
    """The employer takes a statement back (plans change)."""
    with transaction.atomic(durable=True):
        statement.delete()


def demand_link_cohort(*, statements, cohort: Cohort | None) -> int:
    """Staff record which intake answers these statements; returns how many changed."""
    with transaction.atomic(durable=True):
        return DemandStatement.objects.filter(pk__in=[s.pk for s in statements]).update(
            cohort=cohort
        )


# --------------------------------------------------------------------------- the door


def _refused(from_status: str, to: str) -> PledgeError:
    return PledgeError(
        PledgeError.TRANSITION_NOT_ALLOWED,
        _("A pledge that is “%(from)s” cannot become “%(to)s”.")
        % {"from": S(from_status).label, "to": S(to).label},
    )


def pledge_transition(
    *,
    pledge: Pledge,
    to: str,
    actor: User | None,
    reason: str = "",
    reason_code: str = "",
    numbers: dict | None = None,
) -> PledgeEvent:
    """Move a pledge to `to`: the only code that assigns `Pledge.status`.

    Call it inside a transaction with the row locked. Settled states take the numbers
    they were judged on (`numbers`: hired, local_hired, invited, graduates).
    """
    from_status = pledge.status
    if to not in rules.PLEDGE_ALLOWED[from_status]:
        raise _refused(from_status, to)
    if to in rules.REASON_REQUIRED and not (reason or "").strip():
        raise PledgeError(PledgeError.REASON_REQUIRED, _("Say why, for the employer."))
    if to in rules.SETTLED:
        numbers = numbers or selectors.pledge_numbers(pledge=pledge)
        pledge.hired_count = numbers["hired"]
        pledge.local_hired_count = numbers["local_hired"]
        pledge.invited_count = numbers["invited"]
        pledge.graduates_count = numbers["graduates"]
    event = status_move(
        subject=pledge,
        to=to,
        actor=actor,
        reason=reason,
        reason_code=reason_code,
        data={"numbers": numbers} if numbers else None,
    )
    if {from_status, to} & rules.PUBLIC:
        # The program and apply pages show accepted pledges.
        public_cache_bump("catalogue")
    if to == S.WITHDRAWN:
        return event  # the employer's own move: nothing to tell them
    _tell_members(
        pledge.employer,
        kind=Kind.PLEDGE_STATUS_CHANGED,
        key=f"pledge.status:{event.pk}",
        context={
            "employer": pledge.employer.name,
            "cohort": pledge.cohort.code,
            "program": pledge.cohort.program.title,
            "status": S(to).label,
            "reason": PledgeEvent.REASONS.get(reason_code, event.reason),
            "url": reverse("placements:pledge-detail", kwargs={"pk": pledge.pk}),
        },
    )
    return event


def _lock(pk: int) -> Pledge:
    return (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("employer", "cohort__program")
        .get(pk=pk)
    )


# ------------------------------------------------------------------------ entry points


def pledge_offer(
    *,
    employer: Employer,
    cohort: Cohort,
    actor: User,
    data: dict,
    today: datetime.date | None = None,
) -> Pledge:
    """The employer pledges interviews or seats for an intake; staff accept it later."""
    today = today or timezone.localdate()
    if not employer.is_verified:
        raise PledgeError(
            PledgeError.EMPLOYER_NOT_VERIFIED,
            _("Pledges can be made once the training center has verified your company."),
        )
    if cohort.is_cancelled or cohort.training_end < today:
        raise PledgeError(PledgeError.INTAKE_NOT_OPEN, _("This intake has ended or was cancelled."))
    kind = data["kind"]
    if kind == Pledge.Kind.SEATS and not data.get("seats"):
        raise PledgeError(PledgeError.SEATS_REQUIRED, _("Say how many graduates you will hire."))
    if data.get("wage_min") is not None and data["wage_min"] < placement_policy().umk:
        raise _umk_error(PledgeError, PledgeError.WAGE_BELOW_UMK, data["wage_min"])
    if data["start_until"] < cohort.training_end:
        raise PledgeError(
            PledgeError.START_BEFORE_END,
            _("The start window must reach past the end of training (%(date)s).")
            % {"date": cohort.training_end.strftime("%d-%m-%Y")},
        )
    values = {f: data.get(f) for f in PLEDGE_FIELDS}
    values["note"] = (values["note"] or "").strip()
    if kind == Pledge.Kind.INTERVIEW_ALL:
        values["seats"] = None
    duplicate = PledgeError(PledgeError.DUPLICATE, _("You already pledged for this intake."))
    try:
        with transaction.atomic(durable=True):
            # Lock the employer: two quick offers for one intake are serialised; the
            # partial unique constraint is the safety net.
            Employer.objects.select_for_update().filter(pk=employer.pk).first()
            if (
                Pledge.objects.filter(employer=employer, cohort=cohort)
                .filter(status__in=[*rules.OPEN, *rules.SETTLED])
                .exists()
            ):
                raise duplicate
            now = timezone.now()
            pledge = Pledge.objects.create(
                employer=employer,
                cohort=cohort,
                created_by=actor,
                status=S.OFFERED,
                status_changed_at=now,
                **values,
            )
            event_record(subject=pledge, from_status="", actor=actor, created_at=now)
    except IntegrityError as exc:
        raise duplicate from exc
    return pledge


def pledge_withdraw(*, pledge: Pledge, employer: Employer, actor: User) -> Pledge:
    """The employer takes back a pledge staff have not accepted yet."""
    with transaction.atomic(durable=True):
        locked = _lock(pledge.pk)
        if locked.employer_id != employer.pk:
            raise _refused(locked.status, S.WITHDRAWN)
        pledge_transition(pledge=locked, to=S.WITHDRAWN, actor=actor)
    return locked


def pledge_accept(*, pledge: Pledge, actor: User) -> Pledge:
    """Staff accept an offered pledge: the program and apply pages show it from now on."""
    with transaction.atomic(durable=True):
        locked = _lock(pledge.pk)
        pledge_transition(pledge=locked, to=S.ACCEPTED, actor=actor)
    return locked


def pledge_decline(*, pledge: Pledge, actor: User, reason: str) -> Pledge:
    """Staff decline an offered pledge, saying why."""
    with transaction.atomic(durable=True):
        locked = _lock(pledge.pk)
        pledge_transition(pledge=locked, to=S.DECLINED, actor=actor, reason=reason)
    return locked


def pledge_settle(*, pledge: Pledge, actor: User | None, reason: str = "") -> Pledge:
    """Judge an accepted pledge on the hires (or invitations) counted so far.

    Staff may settle before the window ends (the employer backed out); the portal
    settles every accepted pledge the day after its window ended (`pledge_settle_due`).
    """
    with transaction.atomic(durable=True):
        locked = _lock(pledge.pk)
        if locked.status != S.ACCEPTED:
            raise PledgeError(
                PledgeError.NOT_ACCEPTED, _("Only an accepted pledge can be settled.")
            )
        numbers = selectors.pledge_numbers(pledge=locked)
        to = rules.pledge_outcome(
            kind=locked.kind,
            seats=locked.seats,
            hired=numbers["hired"],
            invited=numbers["invited"],
            graduates=numbers["graduates"],
        )
        pledge_transition(
            pledge=locked,
            to=to,
            actor=actor,
            reason=reason,
            reason_code="" if actor is not None else "window_ended",
            numbers=numbers,
        )
        if to == S.BROKEN:
            _tell_staff_if_broken_twice(employer=locked.employer)
    return locked


def pledge_settle_due(*, today: datetime.date | None = None) -> int:
    """Settle every accepted pledge whose start window ended; returns how many."""
    today = today or timezone.localdate()
    settled = 0
    for pledge in selectors.pledge_list_to_settle(today=today):
        try:
            pledge_settle(pledge=pledge, actor=None)
        except PledgeError:
            continue  # settled meanwhile by staff
        settled += 1
    return settled


def pledge_invite(
    *, pledge: Pledge, employer: Employer, person: User, actor: User, message: str
) -> PledgeInvitation:
    """The pledging employer invites a graduate of the intake (who agreed to be found).

    The invitation keeps the snapshot a job application would send (education,
    training, certificates), and the graduate gets the message by e-mail.
    """
    with transaction.atomic(durable=True):
        locked = _lock(pledge.pk)
        if locked.employer_id != employer.pk:
            raise PledgeError(PledgeError.NOT_ACCEPTED, _("This is not your pledge."))
        if not selectors.pledge_graduates_visible(pledge=locked):
            if locked.cohort.training_end >= timezone.localdate():
                raise PledgeError(
                    PledgeError.INTAKE_NOT_ENDED,
                    _("You can invite graduates once the intake has ended."),
                )
            raise PledgeError(
                PledgeError.NOT_ACCEPTED, _("Only an accepted pledge can invite graduates.")
            )
        person = selectors.pledge_graduate_get(pledge=locked, person_id=person.pk)
        if PledgeInvitation.objects.filter(pledge=locked, person=person).exists():
            raise PledgeError(PledgeError.ALREADY_INVITED, _("This graduate was invited already."))
        invitation = PledgeInvitation.objects.create(
            pledge=locked,
            person=person,
            message=message.strip(),
            snapshot=job_application_snapshot(person=person),
            created_by=actor,
        )
        event_record(
            subject=locked,
            category=PledgeEvent.Category.INVITED,
            actor=actor,
            data={"person": person.pk},
        )
        notification_queue(
            kind=Kind.PLEDGE_INVITATION,
            recipient=person,
            dedup_key=f"pledge.invitation:{invitation.pk}",
            context={
                "employer": locked.employer.name,
                "program": locked.cohort.program.title,
                "cohort": locked.cohort.code,
                "message": invitation.message,
                "url": reverse("placements:vacancy-list"),
            },
        )
    return invitation


# --------------------------------------------------------------------------- reminders


def _tell_staff_if_broken_twice(*, employer: Employer) -> None:
    broken = Pledge.objects.filter(employer=employer, status=S.BROKEN).count()
    if broken < 2:
        return
    officers = User.objects.filter(
        is_active=True, is_staff=True, groups__name=PLACEMENT_OFFICER
    ).distinct()
    for officer in officers:
        notification_queue(
            kind=Kind.PLEDGES_BROKEN,
            recipient=officer,
            dedup_key=f"pledges.broken:{employer.pk}:{broken}:{officer.pk}",
            context={
                "employer": employer.name,
                "broken": broken,
                "url": reverse("admin:placements_pledge_changelist")
                + f"?employer__id__exact={employer.pk}",
            },
        )


def _remind(pledge: Pledge, *, kind: str, key: str, **extra) -> bool:
    """One reminder per pledge and kind; True when it was queued now."""
    if pledge.events.filter(category=PledgeEvent.Category.REMINDER, data__kind=kind).exists():
        return False
    event_record(
        subject=pledge, category=PledgeEvent.Category.REMINDER, actor=None, data={"kind": kind}
    )
    _tell_members(
        pledge.employer,
        kind=kind,
        key=key,
        context={
            "employer": pledge.employer.name,
            "program": pledge.cohort.program.title,
            "cohort": pledge.cohort.code,
            "url": reverse("placements:pledge-detail", kwargs={"pk": pledge.pk}),
            **extra,
        },
    )
    return True


def pledge_remind_due(*, today: datetime.date | None = None) -> int:
    """Remind employers of intakes about to end and of pledges about to lapse.

    Accepted pledges only; each reminder goes once per pledge (an event row records
    it). Returns how many reminders were queued.
    """
    today = today or timezone.localdate()
    sent = 0
    ending = Pledge.objects.filter(
        status=S.ACCEPTED,
        cohort__training_end__gte=today,
        cohort__training_end__lte=today + datetime.timedelta(days=INTAKE_ENDING_DAYS),
    ).select_related("employer", "cohort__program")
    for pledge in ending:
        with transaction.atomic(durable=True):
            sent += _remind(
                pledge,
                kind=Kind.PLEDGE_INTAKE_ENDING,
                key=f"pledge.intake_ending:{pledge.pk}",
                ends_on=pledge.cohort.training_end,
            )
    lapsing = selectors.pledge_annotate_counts(
        Pledge.objects.filter(
            status=S.ACCEPTED,
            cohort__training_end__lt=today,
            start_until__gte=today,
            start_until__lte=today + datetime.timedelta(days=LAPSING_DAYS),
        ).select_related("employer", "cohort__program")
    )
    for pledge in lapsing:
        owed = pledge.seats if pledge.kind == Pledge.Kind.SEATS else pledge.live_graduates
        done = pledge.live_hired if pledge.kind == Pledge.Kind.SEATS else pledge.live_invited
        if done >= owed:
            continue
        with transaction.atomic(durable=True):
            sent += _remind(
                pledge,
                kind=Kind.PLEDGE_LAPSING,
                key=f"pledge.lapsing:{pledge.pk}",
                until=pledge.start_until,
                done=done,
                owed=owed,
            )
    return sent
