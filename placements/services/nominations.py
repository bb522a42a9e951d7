"""Employers nominate their workers for a competency assessment or a K3 refresher by a
list of NIKs: each row checked as sign-up checks a NIK, registered by certification's own
service (eligibility, seats), and reported row by row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.certification.services.assessments import assessment_register
from courses.errors import CertificationError
from courses.models import Assessment
from trainees import nik as nik_rules
from trainees.models import Trainee

from ..models import Employer, WorkerNomination

MAX_ROWS = 200


@dataclass
class NominationRow:
    line: int
    nik_masked: str
    ok: bool
    message: str


def _split(text: str) -> list[str]:
    values = []
    for chunk in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        if chunk.strip():
            values.append(chunk.strip())
    return values


def nominations_submit(
    *, employer: Employer, assessment: Assessment, niks: str, actor
) -> list[NominationRow]:
    """Register every valid, known NIK for the assessment; one report row per line.

    Each registration is its own transaction: one full seat or unknown NIK does not undo
    the others. A NIK is shown masked in the report, as everywhere outside the admin.
    """
    rows: list[NominationRow] = []
    values = _split(niks)
    if len(values) > MAX_ROWS:
        values = values[:MAX_ROWS]
    seen: set[str] = set()
    for line, raw in enumerate(values, start=1):
        value = nik_rules.nik_normalize(raw)
        masked = nik_rules.nik_mask(value) if value.isdigit() else "—"
        try:
            nik_rules.nik_parse(value)
        except nik_rules.InvalidNik as exc:
            rows.append(NominationRow(line, masked, False, str(exc.message)))
            continue
        if value in seen:
            rows.append(NominationRow(line, masked, False, _("This NIK is in the list twice.")))
            continue
        seen.add(value)
        trainee = Trainee.objects.select_related("user").filter(nik=value).first()
        if trainee is None:
            rows.append(
                NominationRow(
                    line,
                    masked,
                    False,
                    _("No account has this NIK: ask the worker to sign up on the portal first."),
                )
            )
            continue
        try:
            assessment_register(
                assessment=assessment, trainee=trainee, actor=actor, nominated_by=employer.name
            )
        except CertificationError as exc:
            rows.append(NominationRow(line, masked, False, exc.message))
            continue
        try:
            with transaction.atomic(durable=True):
                WorkerNomination.objects.create(
                    employer=employer, trainee=trainee, assessment=assessment, created_by=actor
                )
        except IntegrityError:  # pragma: no cover - registered means not nominated before
            pass
        rows.append(NominationRow(line, masked, True, _("Registered.")))
    return rows
