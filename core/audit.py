"""The personal-data audit trail: who viewed, downloaded, exported or erased what.

Call `audit_record` wherever personal data leaves the database for a person's eyes:

    from core.audit import audit_record
    audit_record(actor=request.user, action="document.download", subject=document,
                 detail={"kind": document.kind}, request=request)

- `action`: one of `AuditEvent.Action` (e.g. `"personal_data.view"`, `"document.download"`,
  `"personal_data.export"`); a new kind of access gets a new choice there.
- `subject`: the model instance concerned (stored as `app_label.model` + pk), or None for
  an export of many rows (put the filter and row count in `detail`).
- `detail`: small JSON, never the personal data itself (no NIK, no name).
- `request`: optional, records the client address.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from .models import AuditEvent
from .ratelimit import client_ip


def audit_record(
    *,
    actor,
    action: str,
    subject=None,
    detail: dict[str, Any] | None = None,
    request=None,
) -> AuditEvent:
    """Write one audit row and return it."""
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditEvent.Action")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
    ip = client_ip(request) if request is not None else None
    try:
        ip = str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        ip = None
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=getattr(actor, "email", "") if is_user else "",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail or {},
        ip_address=ip or None,
    )


def audit_list_for_subject(subject):
    """Audit rows about one record, newest first (for admin inlines and the person's view)."""
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")
