"""The one writer of event rows (`core.models.TransitionEvent` and its tables).

Call it inside the business transaction, after the subject's row is saved:

    from core.events import event_record
    event_record(subject=vacancy, from_status=previous, to_status=vacancy.status,
                 actor=request.user, reason=reason)
    event_record(subject=application, category=ApplicationEvent.Category.SCORE,
                 actor=staff, data={"from": 61, "to": 72})

- `subject`: the record the event is about; its table is the model behind its
  `events` relation (`Application.events` → `ApplicationEvent`).
- `from_status`, `to_status`: default to the subject's current `status` (a fact
  without a move).
- `reason`: words a person wrote; `reason_code` (and `reason_params`): a reason the
  portal gives by itself, one of the table's `REASONS`, translated when read.

A state machine's door ends with `status_move`: the new status (and its time), the save
and the event row of the move, in that order.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from .models import TransitionEvent


def event_record(
    *,
    subject,
    actor,
    category: str = TransitionEvent.STATUS,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    created_at: datetime.datetime | None = None,
) -> TransitionEvent:
    """Write one event row about `subject` and return it."""
    model = subject.events.model
    current = getattr(subject, "status", "")
    data = dict(data or {})
    if reason_code:
        if reason_code not in model.REASONS:
            raise ValueError(f"Unknown reason code {reason_code!r}: add it to {model.__name__}")
        data["reason_code"] = reason_code
        if reason_params:
            data["reason_params"] = reason_params
    return subject.events.create(
        category=category,
        from_status=current if from_status is None else from_status,
        to_status=current if to_status is None else to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=(reason or "").strip(),
        data=data,
        created_at=created_at or timezone.now(),
    )


def status_move(
    *,
    subject,
    to: str,
    actor,
    now: datetime.datetime | None = None,
    update_fields: list[str] | None = None,
    **event: Any,
) -> TransitionEvent:
    """Move `subject` to status `to`, save it and record the move; return the event.

    The door calls it once its checks have passed, with any other field the move changes
    already set. `status_changed_at`, when the model has one, becomes `now`;
    `update_fields`: what the save writes (the whole row when None); `event`: the rest of
    `event_record`'s arguments (category, reason, reason_code, reason_params, data).
    """
    now = now or timezone.now()
    from_status = subject.status
    subject.status = to
    if hasattr(subject, "status_changed_at"):
        subject.status_changed_at = now
    subject.save(update_fields=update_fields)
    return event_record(
        subject=subject, actor=actor, from_status=from_status, created_at=now, **event
    )
