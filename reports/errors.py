"""Domain errors of the reports app; tests assert `.code`."""

from core.errors import DomainError


class TracerError(DomainError):
    """A tracer answer was refused."""

    INVALID_ANSWER = "tracer_invalid_answer"
