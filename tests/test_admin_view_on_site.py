"""'View on site' in the admin never leads staff to a refusal (403) or a page that is not
there (404): every ModelAdmin of a model with `get_absolute_url` either hides the link or
points at a page each staff role that may open the object can read."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.utils import timezone

from core.roles import ADMINISTRATOR, PLACEMENT_OFFICER, TRAINING_STAFF
from courses.models import Application, Certificate, Credential, Program, SeatOffer
from courses.tests.factories import (
    CohortFactory,
    CredentialFactory,
    ProgramFactory,
    application_in,
)
from placements.models import JobApplication, Vacancy
from placements.tests.factories import JobApplicationFactory, VacancyFactory
from reports.models import FunnelReport

pytestmark = pytest.mark.django_db


def _offer():
    cohort = CohortFactory()
    application = application_in(cohort, "reserve", reserve_position=1)
    return SeatOffer.objects.create(
        application=application,
        cohort=cohort,
        expires_at=timezone.now() + timezone.timedelta(hours=12),
    )


def _certificate():
    from courses.training.services.certificates import certificate_issue_missing

    cohort = CohortFactory(
        training_start=timezone.localdate() - timezone.timedelta(days=40),
        training_end=timezone.localdate() - timezone.timedelta(days=1),
        registration_opens_at=timezone.now() - timezone.timedelta(days=80),
        registration_closes_at=timezone.now() - timezone.timedelta(days=50),
    )
    application_in(cohort, "passed")
    certificate_issue_missing(cohort=cohort, actor=None)
    return Certificate.objects.get()


# Every model of the admin with a `get_absolute_url`, with the objects that reach each
# case of its page (drafts and published, open and closed).
OBJECTS = {
    Application: lambda: [application_in(CohortFactory())],
    FunnelReport: lambda: [application_in(CohortFactory())],
    SeatOffer: lambda: [_offer()],
    Program: lambda: [ProgramFactory(is_published=True), ProgramFactory(is_published=False)],
    Certificate: lambda: [_certificate()],
    Vacancy: lambda: [
        VacancyFactory(),
        VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None),
        VacancyFactory(status=Vacancy.Status.SUBMITTED, published_at=None),
        VacancyFactory(
            status=Vacancy.Status.REJECTED, published_at=None, rejection_reason="Tidak jelas."
        ),
        VacancyFactory(status=Vacancy.Status.CLOSED),
    ],
    JobApplication: lambda: [JobApplicationFactory()],
    # The public check: every staff role reads it, whatever the status.
    Credential: lambda: [
        CredentialFactory(),
        CredentialFactory(revoked_at=timezone.now(), revoke_reason="Kartu palsu."),
    ],
}


def test_every_admin_model_with_a_url_is_covered():
    with_url = {
        model
        for model in admin.site._registry
        if getattr(model, "get_absolute_url", None) is not None
    }
    assert with_url == set(OBJECTS), "add the new model to OBJECTS"


@pytest.mark.parametrize("model", list(OBJECTS), ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", [TRAINING_STAFF, PLACEMENT_OFFICER, ADMINISTRATOR])
def test_view_on_site_never_leads_to_a_refusal(model, role, staff_member, client):
    user = staff_member(role)
    client.force_login(user)
    model_admin = admin.site._registry[model]
    for obj in OBJECTS[model]():
        url = model_admin.get_view_on_site_url(obj)
        change = client.get(
            f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
        )
        if change.status_code != 200:
            continue  # the role may not open the object at all
        if url is None:
            assert "viewsitelink" not in change.content.decode()
            continue
        response = client.get(url, follow=True)
        assert response.status_code not in (403, 404), (model.__name__, obj, url)
