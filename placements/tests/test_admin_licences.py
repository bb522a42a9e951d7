"""Staff and the licences bound to employers: the read-only list (worker, credential,
status; search, filters, flat queries, no NIK), the placements still waiting for their
licence, the employer page's inline, and that nobody makes or edits a binding here."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import ADMINISTRATOR, PLACEMENT_OFFICER
from courses.models import CredentialStatus
from courses.tests.factories import CredentialFactory, CredentialSchemeFactory
from placements.models import EmployerLicence, Placement
from trainees.tests.factories import CompleteTraineeFactory

from .factories import EmployerFactory, VacancyFactory

pytestmark = pytest.mark.django_db
LIST = reverse("admin:placements_employerlicence_changelist")


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _hire(employer, *, vacancy=None, name=None):
    trainee = CompleteTraineeFactory(**({"user__full_name": name} if name else {}))
    placement = Placement.objects.create(
        employer=employer, person=trainee.user, vacancy=vacancy, start_date=in_days(-30)
    )
    return trainee, placement


def _bound(employer=None, *, scheme=None, name=None, vacancy=None, **credential_kwargs):
    """A licence bound to `employer` for a worker placed with it (rows set directly)."""
    employer = employer or EmployerFactory()
    trainee, placement = _hire(employer, vacancy=vacancy, name=name)
    credential = CredentialFactory(
        holder=trainee,
        scheme=scheme or CredentialSchemeFactory(employer_bound=True),
        **credential_kwargs,
    )
    return EmployerLicence.objects.create(
        employer=employer, placement=placement, credential=credential
    )


def _rows(response):
    return list(response.context["cl"].result_list)


def test_placement_officer_sees_each_binding_with_its_worker_and_credential_but_no_nik(
    placement_officer_client,
):
    scheme = CredentialSchemeFactory(name="SIO Operator Forklift Kelas II", employer_bound=True)
    licence = _bound(
        EmployerFactory(name="PT Kayu Batang"),
        scheme=scheme,
        name="Budi Hartono",
        number="SIO/JTG/0042",
        expires_on=in_days(30),
    )
    response = placement_officer_client.get(LIST)
    assert response.status_code == 200
    assert _rows(response) == [licence]
    body = response.content.decode()
    for shown in ("PT Kayu Batang", "Budi Hartono", "SIO Operator Forklift Kelas II"):
        assert shown in body
    assert "SIO/JTG/0042" in body
    assert reverse("admin:courses_credential_change", args=[licence.credential_id]) in body
    assert reverse("admin:placements_placement_change", args=[licence.placement_id]) in body
    # Expiring in 30 days: the registry's derived status, in the staff's language.
    with translation.override("id"):
        assert str(CredentialStatus.EXPIRING.label) in body
    assert licence.credential.holder.nik not in body


@pytest.mark.parametrize(
    ("query", "found"),
    [("Kayu", "kayu"), ("Hartono", "kayu"), ("SIO/JTG/0042", "kayu"), ("Wati", "laut")],
)
def test_search_by_employer_worker_or_number(placement_officer_client, query, found):
    bindings = {
        "kayu": _bound(
            EmployerFactory(name="PT Kayu Batang"), name="Budi Hartono", number="SIO/JTG/0042"
        ),
        "laut": _bound(EmployerFactory(name="CV Laut Jaya"), name="Sri Wati", number="SKP/9"),
    }
    response = placement_officer_client.get(LIST, {"q": query})
    assert _rows(response) == [bindings[found]]


def test_filters_by_scheme_status_and_employer_verification(placement_officer_client):
    sio = CredentialSchemeFactory(employer_bound=True)
    valid = _bound(scheme=sio)
    expired = _bound(
        EmployerFactory(verified_at=None),
        issued_on=in_days(-800),
        expires_on=in_days(-1),
    )
    assert _rows(placement_officer_client.get(LIST, {"credential__scheme__id__exact": sio.pk})) == [
        valid
    ]
    assert _rows(placement_officer_client.get(LIST, {"status": "expired"})) == [expired]
    assert _rows(placement_officer_client.get(LIST, {"employer__verified_at__isempty": "1"})) == [
        expired
    ]


@pytest.mark.parametrize("rows", [1, 15])
def test_licence_list_queries_do_not_grow_with_rows(
    placement_officer_client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        _bound()
    with django_assert_max_num_queries(8):
        response = placement_officer_client.get(LIST)
    assert len(_rows(response)) == rows


def test_waiting_for_licence_lists_exactly_the_hires_without_their_licence(
    placement_officer_client,
):
    sio = CredentialSchemeFactory(employer_bound=True)
    employer = EmployerFactory()
    licence_job = VacancyFactory(employer=employer, licence_scheme=sio)
    _trainee, waiting = _hire(employer, vacancy=licence_job)
    recorded = _bound(employer, scheme=sio, vacancy=licence_job).placement
    # A licence of another scheme does not answer this hire.
    other_scheme = _bound(employer, vacancy=licence_job).placement
    _trainee, no_licence_needed = _hire(employer, vacancy=VacancyFactory(employer=employer))
    url = reverse("admin:placements_placement_changelist")
    listed = {p.pk for p in _rows(placement_officer_client.get(url, {"licence": "waiting"}))}
    assert listed == {waiting.pk, other_scheme.pk}
    everyone = {p.pk for p in _rows(placement_officer_client.get(url))}
    assert {recorded.pk, no_licence_needed.pk} <= everyone


def test_employer_page_lists_its_bound_licences(placement_officer_client):
    employer = EmployerFactory()
    mine = _bound(employer, name="Budi Hartono", number="SIO/JTG/0042")
    _bound(name="Orang Lain", number="SIO/LAIN/1")
    response = placement_officer_client.get(
        reverse("admin:placements_employer_change", args=[employer.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Budi Hartono" in body and "SIO/JTG/0042" in body
    assert "SIO/LAIN/1" not in body
    assert mine.credential.holder.nik not in body


@pytest.mark.parametrize("role", [PLACEMENT_OFFICER, ADMINISTRATOR])
def test_staff_cannot_add_change_or_delete_a_binding(staff_client_for, role):
    client = staff_client_for(role)
    licence = _bound()
    change = reverse("admin:placements_employerlicence_change", args=[licence.pk])
    assert client.get(reverse("admin:placements_employerlicence_add")).status_code == 403
    page = client.get(change)
    assert page.status_code == 200  # read-only view
    assert not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()
    other = EmployerFactory()
    assert client.post(change, {"employer": other.pk}).status_code == 403
    assert (
        client.post(
            reverse("admin:placements_employerlicence_delete", args=[licence.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    listing = client.get(LIST)
    assert reverse("admin:placements_employerlicence_add") not in listing.content.decode()
    assert "delete_selected" not in listing.content.decode()
    licence.refresh_from_db()
    assert licence.employer != other
    assert EmployerLicence.objects.count() == 1
