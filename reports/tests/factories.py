"""Test data for reports: finished cohorts, people at a given step, tracer surveys."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from courses.tests.factories import (
    ApplicationFactory,
    CertificateFactory,
    CohortFactory,
    ProgramFactory,
)
from reports.models import TracerSurvey
from trainees.tests.factories import CompleteTraineeFactory

KANDEMAN = "332513"
GRINGSING = "332507"
BLADO = "332503"
PEKALONGAN = "3326"


def finished_cohort(*, program=None, ended: datetime.date | None = None, days: int = 35, **kw):
    """A cohort whose training ended on `ended` (default: 10 days ago)."""
    ended = ended or timezone.localdate() - datetime.timedelta(days=10)
    start = ended - datetime.timedelta(days=days - 1)
    opens = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8)))
    return CohortFactory(
        program=program or ProgramFactory(),
        training_start=start,
        training_end=ended,
        registration_opens_at=opens - datetime.timedelta(days=40),
        registration_closes_at=opens - datetime.timedelta(days=10),
        **kw,
    )


def person(
    *,
    kecamatan: str = KANDEMAN,
    regency: str = "3325",
    gender: str = "male",
    disability: str = "",
):
    """A job seeker living in `kecamatan` (or, with `regency` not Batang, outside)."""
    in_batang = regency == "3325"
    return CompleteTraineeFactory(
        regency=regency,
        kecamatan=kecamatan if in_batang else "",
        domicile_in_batang=in_batang,
        gender=gender,
        disability=disability,
    )


def application(*, cohort, status: str = "submitted", trainee=None, history=(), **person_kw):
    """An application at `status`; `history` adds earlier moves to its timeline."""
    trainee = trainee or person(**person_kw)
    app = ApplicationFactory(trainee=trainee, cohort=cohort, status=status)
    for step in history:
        app.events.create(from_status="", to_status=step)
    return app


def applications(count: int, **kwargs) -> list:
    return [application(**kwargs) for _ in range(count)]


class TracerSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TracerSurvey

    round = 3


def certify(app, *, revoked: bool = False):
    """A training certificate for a passed application (revoked, with a reason, if asked)."""
    return CertificateFactory(
        application=app,
        revoked_at=timezone.now() if revoked else None,
        revoke_reason="Data tidak benar" if revoked else "",
    )
