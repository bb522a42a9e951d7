"""A person's rights over their data (UU 27/2022): download all of it, erase the account.

Each app that holds personal data has a `<app>/personal_data.py` module, discovered in
`INSTALLED_APPS` order (like `demo.py`), with up to three functions:

- `export(user) -> dict`: what the app holds about the person, JSON-serialisable
  (dates may stay dates);
- `files(user) -> list[tuple[str, callable]]`: files to include in the zip, as
  (name inside the zip, function returning an open binary file);
- `erase(user) -> dict`: erase the personal data inside the caller's transaction and
  return counts; records needed for statistics (applications, placements, their
  statuses and dates) are kept, anonymised. Files are deleted after the commit.

`personal_data_zip(user=...)` builds the download; `account_erase(user=..., actor=...)`
runs every app's `erase` in reverse order (placements first, accounts last) in one
transaction and records the erasure in the audit trail.
"""

from __future__ import annotations

import io
import json
import zipfile
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .errors import DomainError
from .models import AuditEvent


class PersonalDataError(DomainError):
    STAFF_ACCOUNT = "staff_account"


def personal_data_modules() -> list[tuple[str, ModuleType]]:
    """(app label, module) for every installed app with a personal_data module."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.personal_data"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.append((config.label, module))
    return found


def personal_data_collect(*, user) -> dict:
    """Everything the portal holds about `user`, by app."""
    data: dict = {"exported_at": timezone.now(), "account_id": user.pk}
    for label, module in personal_data_modules():
        export = getattr(module, "export", None)
        if export is not None:
            data[label] = export(user)
    return data


def personal_data_zip(*, user, request=None) -> bytes:
    """A zip with `data.json` and the person's documents; the download is audited."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data = personal_data_collect(user=user)
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        count = 0
        for _label, module in personal_data_modules():
            for name, opener in getattr(module, "files", lambda u: [])(user):
                with opener() as handle:
                    archive.writestr(f"documents/{name}", handle.read())
                count += 1
    audit_record(
        actor=user,
        action=AuditEvent.Action.OWN_DATA_EXPORT,
        subject=user,
        detail={"files": count},
        request=request,
    )
    return buffer.getvalue()


def account_erase(*, user, actor, request=None) -> dict:
    """Erase a person's personal data; keep anonymised records for statistics.

    Staff accounts are not erased here (an administrator deactivates them).
    """
    if user.is_staff or user.is_superuser:
        from django.utils.translation import gettext as _

        raise PersonalDataError(
            PersonalDataError.STAFF_ACCOUNT,
            _("Staff accounts are closed by an administrator, not from this page."),
        )
    counts: dict = {}
    with transaction.atomic(durable=True):
        for label, module in reversed(personal_data_modules()):
            erase = getattr(module, "erase", None)
            if erase is not None:
                counts[label] = erase(user)
        audit_record(
            actor=actor if actor.pk != user.pk else None,
            action=AuditEvent.Action.ACCOUNT_ERASE,
            subject=user,
            detail={"by_self": actor.pk == user.pk, "counts": counts},
            request=request,
        )
    return counts


# The kernel's own part: the person's traces in the audit trail.


def export(user) -> dict:
    return {
        "own_data_downloads": [
            {"at": e.at, "action": e.action}
            for e in AuditEvent.objects.filter(actor=user).order_by("at")
        ]
    }


def erase(user) -> dict:
    changed = AuditEvent.objects.filter(actor=user).update(actor_label="")
    return {"audit_labels_cleared": changed}
