"""Selection scores: entered one by one or imported from a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.events import event_record
from courses.admissions.rules import SCORABLE
from courses.errors import ApplicationError
from courses.locks import application_lock, cohort_lock
from courses.models import (
    SCORE_INTERVIEW,
    SCORE_WRITTEN_TEST,
    Application,
    ApplicationEvent,
    Cohort,
)
from trainees.nik import nik_normalize

SCORE_FIELDS = {SCORE_WRITTEN_TEST: "written_test_score", SCORE_INTERVIEW: "interview_score"}


def _parse_score(value) -> Decimal | None:
    """A score from a form or a file cell: empty → None; else a number 0–100."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        text = str(value)
    else:
        text = str(value).strip().replace(",", ".")
    if text == "":
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(
            ApplicationError.SCORE_INVALID,
            _("“%(value)s” is not a number.") % {"value": value},
        ) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ApplicationError(
            ApplicationError.SCORE_INVALID,
            _("A score is between 0 and 100; “%(value)s” is not.") % {"value": value},
        )
    return score.quantize(Decimal("0.01"))


def _as_text(score: Decimal | None) -> str | None:
    return None if score is None else str(score)


def application_scores_set(
    *, application: Application, actor, written_test=None, interview=None, clear=False
) -> Application:
    """Enter scores (0–100) for an applicant not yet ranked.

    A value of None leaves that score as it is, unless `clear` (a form that sends every
    field) sets it empty. Not durable: the admin saves through it, the import runs many
    rows in one transaction.
    """
    with transaction.atomic():
        # The cohort first: a selection run of the cohort holds it, so a score saved
        # meanwhile waits for the run, and a run waits for the score to be committed.
        _cohort, application = application_lock(application)
        if application.status not in SCORABLE:
            raise ApplicationError(
                ApplicationError.SCORES_LOCKED,
                _("Scores can no longer change: the application is “%(status)s”.")
                % {"status": application.get_status_display()},
                application=application,
            )
        changed = {}
        for stage, value in ((SCORE_WRITTEN_TEST, written_test), (SCORE_INTERVIEW, interview)):
            score = _parse_score(value)
            if score is None and not clear:
                continue
            field_name = SCORE_FIELDS[stage]
            previous = getattr(application, field_name)
            if previous != score:
                setattr(application, field_name, score)
                changed[stage] = [_as_text(previous), _as_text(score)]
        if changed:
            application.save(
                update_fields=[*(SCORE_FIELDS[stage] for stage in changed), "updated_at"]
            )
            # Staff see who changed which score from what to what (never the applicant).
            event_record(
                subject=application,
                category=ApplicationEvent.Category.SCORE,
                actor=actor,
                data={"scores": changed},
            )
    return application


@dataclass
class ImportRow:
    line: int
    applicant: str
    ok: bool
    message: str


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    # False when a row failed: then nothing of the file was saved.
    saved: bool = True

    @property
    def imported(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def failed(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]


def cohort_scores_import(*, cohort: Cohort, rows: list[dict], actor) -> ImportReport:
    """Set scores from parsed file rows: all of them, or none when a row fails.

    A row names its applicant by `application` (the application number), `nik` or
    `email`, and carries `written_test` and/or `interview` (empty: unchanged). Every row
    is checked and reported; when any row fails, nothing is saved (`report.saved` is
    False) so a sheet is never half-imported: staff fix the failed rows and import the
    whole file again (importing the same file twice gives the same scores). A row with
    both score cells empty changes nothing and is not reported (the downloaded sheet has
    a row for every applicant).
    """

    report = ImportReport()
    with transaction.atomic(durable=True):
        cohort_lock(cohort.pk)
        applications = list(
            Application.objects.filter(cohort=cohort).select_related("trainee__user")
        )
        by_id = {a.pk: a for a in applications}
        by_nik = {a.trainee.nik: a for a in applications if a.trainee.nik}
        by_email = {a.trainee.user.email: a for a in applications if a.trainee.user.email}
        seen: dict[int, int] = {}
        for row in rows:
            line = row.get("line", 0)
            key = (row.get("application") or row.get("nik") or row.get("email") or "").strip()
            application = None
            if row.get("application"):
                number = str(row["application"]).strip().lstrip("#")
                if number.isdigit():
                    application = by_id.get(int(number))
            elif row.get("nik"):
                application = by_nik.get(nik_normalize(str(row["nik"])))
            elif row.get("email"):
                application = by_email.get(str(row["email"]).strip().lower())
            if application is None:
                message = (
                    _("No application in %(cohort)s matches “%(key)s”.")
                    % {"cohort": cohort.code, "key": key}
                    if key
                    else _("The row names no applicant (application number, NIK or e-mail).")
                )
                report.rows.append(ImportRow(line, key, False, message))
                continue
            label = f"#{application.pk} {application.trainee.user.full_name}".strip()
            if application.pk in seen:
                report.rows.append(
                    ImportRow(
                        line,
                        label,
                        False,
                        _("The same applicant is on line %(line)s already; this row is ignored.")
                        % {"line": seen[application.pk]},
                    )
                )
                continue
            seen[application.pk] = line
            written, interview = row.get("written_test"), row.get("interview")
            if all(v in (None, "") for v in (written, interview)):
                continue  # nothing filled in (yet): the applicant's scores stay as they are
            try:
                with transaction.atomic():
                    application_scores_set(
                        application=application,
                        actor=actor,
                        written_test=written,
                        interview=interview,
                    )
            except ApplicationError as error:
                report.rows.append(ImportRow(line, label, False, error.message))
                continue
            report.rows.append(ImportRow(line, label, True, _("Scores saved.")))
        if report.failed:
            # Nothing half-saved: the good rows wait for the corrected file.
            report.saved = False
            transaction.set_rollback(True)
            for row in report.imported:
                row.message = _("Correct; saved with the rest once no row fails.")
    return report
