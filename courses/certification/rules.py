"""When a credential's reminders are owed (pure: dates in, a threshold out).

The status itself is derived in `courses.models.credentials.credential_status`.
"""

from __future__ import annotations

import datetime

# Reminders before expiry (days left), and 0: the one message after expiry.
REMINDER_THRESHOLDS = (90, 60, 30, 7)
AFTER_EXPIRY = 0


def reminder_threshold_due(*, expires_on: datetime.date, today: datetime.date) -> int | None:
    """The smallest threshold reached by `today` (the reminder owed now), else None.

    A daily job that missed days sends the one reminder owed now, not each one skipped.
    """
    left = (expires_on - today).days
    if left < 0:
        return AFTER_EXPIRY
    reached = [t for t in REMINDER_THRESHOLDS if left <= t]
    return min(reached) if reached else None
