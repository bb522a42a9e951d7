"""The person's download holds their cover, incidents and payee; erasure keeps the records."""

import datetime

import pytest
from django.utils import timezone

from courses.tests.factories import CohortFactory
from welfare import personal_data
from welfare.models import Coverage, CoverageStatus, Incident, Payee

from .factories import cover_sent, coverage_activate

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    cohort = CohortFactory()
    (application,), batch = cover_sent(cohort, "in_training")
    coverage_activate(batch.coverages.get())
    Incident.objects.create(
        application=application,
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        place="Jl. Raya Kandeman",
        setting="journey",
        witnesses="Sri",
        injury="Patah tulang",
    )
    Payee.objects.create(
        application=application,
        method="bank",
        provider="BRI",
        account_number="123456789012",
        account_name="Budi",
    )
    return application.trainee.user


def test_download_holds_cover_incident_and_payee(person):
    data = personal_data.export(person)
    assert data["bpjs_cover"][0]["kpj_number"] == "26010000001"
    assert data["incidents"][0]["injury"] == "Patah tulang"
    assert data["allowance_payee"][0]["account_number"] == "123456789012"


def test_erasure_keeps_the_records_without_what_names_the_person(person):
    counts = personal_data.erase(person)
    assert counts == {"cover_lines_anonymised": 1, "incidents_anonymised": 1, "payees_deleted": 1}
    line = Coverage.objects.get()
    assert line.status == CoverageStatus.ACTIVE and line.kpj_number == ""
    incident = Incident.objects.get()
    assert incident.place and incident.injury == "" and incident.witnesses == ""
    assert not Payee.objects.exists()
