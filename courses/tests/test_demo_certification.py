"""seed_demo's certification: K3 programmes, assessments and credentials in every status."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import (
    AssessmentRegistration,
    Certificate,
    Credential,
    CredentialStatus,
    Program,
    Track,
)

pytestmark = [pytest.mark.django_db, pytest.mark.bulk_data]


def test_demo_has_k3_programmes_assessments_and_every_credential_status():
    call_command("seed_demo", stdout=io.StringIO())
    first = (Credential.objects.count(), AssessmentRegistration.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Credential.objects.count(), AssessmentRegistration.objects.count()) == first

    k3 = Track.objects.get(slug="k3")
    assert Program.objects.filter(track=k3, credential_scheme__isnull=False).count() == 4
    today = timezone.localdate()
    statuses = set(
        Credential.objects.annotate_status(today=today).values_list("status_now", flat=True)
    )
    assert statuses == set(CredentialStatus.values)
    # Every STC certificate is in the registry.
    assert not Certificate.objects.filter(credential__isnull=True).exists()
    outcomes = set(AssessmentRegistration.objects.values_list("status", flat=True))
    assert {"registered", "competent", "not_yet_competent"} <= outcomes
