"""What apps above courses do when an application changes, registered, never imported.

When a person gives up a seat or leaves the training (withdrawn, dropped out), the door
(`courses.admissions.transitions.application_transition`) calls every handler registered
here inside its transaction, with the cohort and the application locked: e.g. welfare
ends the BPJS cover. Apps register in their `AppConfig.ready()`; courses imports none.
"""

from __future__ import annotations

from collections.abc import Callable

LeaveHandler = Callable[..., None]
_leave_handlers: list[LeaveHandler] = []


def application_leave_register(handler: LeaveHandler) -> None:
    """Call `handler(application=, previous=, actor=, now=)` when a person leaves a seat."""
    if handler not in _leave_handlers:
        _leave_handlers.append(handler)


def application_left(*, application, previous: str, actor, now) -> None:
    """Tell the registered handlers (the door calls it; a handler's error aborts the move)."""
    for handler in _leave_handlers:
        handler(application=application, previous=previous, actor=actor, now=now)
