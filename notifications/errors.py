"""Domain errors of the notifications app."""

from core.errors import DomainError


class NotificationError(DomainError):
    UNKNOWN_KIND = "notification_unknown_kind"
    CONTEXT_MISSING = "notification_context_missing"
    CONTEXT_INVALID = "notification_context_invalid"
    NO_ADDRESS = "notification_no_address"
    NO_CONSENT = "notification_no_consent"
    CHANNEL_NOT_ALLOWED = "notification_channel_not_allowed"
    TRANSITION_NOT_ALLOWED = "notification_transition_not_allowed"
    NOT_RESENDABLE = "notification_not_resendable"
    BAD_TOKEN = "notification_bad_unsubscribe_token"  # noqa: S105 - an error code
