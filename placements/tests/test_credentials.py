"""Employers and credentials: the job-application gate for a required licence, the list
of their people's credentials expiring in 90 days (scope, consent, exports, flat
queries) and nominating workers for an assessment by NIK (a per-row report)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import AssessmentRegistration
from courses.tests.factories import AssessmentFactory, CredentialFactory, CredentialSchemeFactory
from placements.models import JobSeekerPreference, Placement, WorkerNomination
from placements.selectors import job_application_gate
from placements.services.nominations import nominations_submit
from trainees.models import Trainee
from trainees.tests.factories import CompleteTraineeFactory

from .factories import EmployerFactory, VacancyFactory, employer_account, job_seeker

pytestmark = pytest.mark.django_db
LIST = reverse("placements:employer-credentials")
NOMINATE = reverse("placements:employer-nominate")


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# ------------------------------------------------------------------ the gate


def test_required_licence_needs_a_valid_credential_of_that_scheme():
    scheme = CredentialSchemeFactory()
    vacancy = VacancyFactory(required_scheme=scheme)
    person = job_seeker()
    trainee = Trainee.objects.get(user=person)
    assert [r.code for r in job_application_gate(person=person, vacancy=vacancy).unmet] == [
        "credential"
    ]
    expired = CredentialFactory(scheme=scheme, holder=trainee, expires_on=in_days(-1))
    assert "credential" in [
        r.code for r in job_application_gate(person=person, vacancy=vacancy).unmet
    ]
    expired.delete()
    CredentialFactory(scheme=scheme, holder=trainee, expires_on=in_days(30))  # expiring: valid
    assert job_application_gate(person=person, vacancy=vacancy).unmet == []


def test_a_revoked_or_left_employer_licence_does_not_open_the_gate():
    scheme = CredentialSchemeFactory(employer_bound=True)
    vacancy = VacancyFactory(required_scheme=scheme)
    person = job_seeker()
    trainee = Trainee.objects.get(user=person)
    credential = CredentialFactory(
        scheme=scheme, holder=trainee, employer_left_on=timezone.localdate()
    )
    assert [r.code for r in job_application_gate(person=person, vacancy=vacancy).unmet] == [
        "credential"
    ]
    credential.employer_left_on = None
    credential.revoked_at = timezone.now()
    credential.revoke_reason = "forged"
    credential.save()
    assert [r.code for r in job_application_gate(person=person, vacancy=vacancy).unmet] == [
        "credential"
    ]


# ------------------------------------------------------------------ the employer's list


def _placed(employer, *, consent=True, **credential_kwargs):
    trainee = CompleteTraineeFactory()
    Placement.objects.create(employer=employer, person=trainee.user, start_date=in_days(-100))
    JobSeekerPreference.objects.create(user=trainee.user, share_credentials=consent)
    return CredentialFactory(holder=trainee, **credential_kwargs)


def test_employer_sees_only_its_consenting_people_expiring_within_90_days(client):
    user = employer_account()
    from placements.selectors import employer_for_user

    employer = employer_for_user(user)
    soon = _placed(employer, expires_on=in_days(40), number="SOON-1")
    _placed(employer, expires_on=in_days(400), number="LATER-1")
    _placed(employer, consent=False, expires_on=in_days(20), number="NOCONSENT-1")
    other = _placed(EmployerFactory(), expires_on=in_days(10), number="OTHER-1")
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert soon.number in body
    for hidden in ("LATER-1", "NOCONSENT-1", other.number):
        assert hidden not in body
    assert soon.holder.nik not in body
    csv = client.get(LIST, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "SOON-1" in csv.content.decode()
    assert "OTHER-1" not in csv.content.decode()
    xlsx = client.get(LIST, {"format": "xlsx"})
    assert "spreadsheet" in xlsx["Content-Type"]


def test_nominated_workers_count_as_the_employers_people(client):
    user = employer_account()
    from placements.selectors import employer_credentials_expiring, employer_for_user

    employer = employer_for_user(user)
    trainee = CompleteTraineeFactory()
    JobSeekerPreference.objects.create(user=trainee.user, share_credentials=True)
    WorkerNomination.objects.create(
        employer=employer, trainee=trainee, assessment=AssessmentFactory()
    )
    credential = CredentialFactory(holder=trainee, expires_on=in_days(5))
    assert list(employer_credentials_expiring(employer=employer)) == [credential]


@pytest.mark.parametrize("rows", [2, 25])
def test_employer_list_queries_are_flat(client, django_assert_max_num_queries, rows):
    user = employer_account()
    from placements.selectors import employer_for_user

    employer = employer_for_user(user)
    for n in range(rows):
        _placed(employer, expires_on=in_days(10 + n))
    client.force_login(user)
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert len(response.context["credentials"]) == rows


def test_job_seekers_cannot_open_the_employer_pages(client):
    client.force_login(job_seeker())
    assert client.get(LIST).status_code == 403
    assert client.get(NOMINATE).status_code == 403


# ------------------------------------------------------------------ nominations


def test_nomination_by_nik_reports_each_row():
    user = employer_account()
    from placements.selectors import employer_for_user

    employer = employer_for_user(user)
    assessment = AssessmentFactory(seats=5)
    worker = CompleteTraineeFactory()
    rows = nominations_submit(
        employer=employer,
        assessment=assessment,
        niks=f"{worker.nik}\n12345\n3325010101900001, {worker.nik}",
        actor=user,
    )
    assert [r.ok for r in rows] == [True, False, False, False]
    assert rows[1].message  # length
    assert "sign up" in rows[2].message or "NIK" in rows[2].message
    assert worker.nik not in "".join(r.nik_masked for r in rows)
    registration = AssessmentRegistration.objects.get(trainee=worker)
    assert registration.nominated_by == employer.name
    assert WorkerNomination.objects.filter(employer=employer, trainee=worker).exists()


def test_nominate_page_shows_the_report_and_bad_input_is_a_400(client):
    user = employer_account()
    assessment = AssessmentFactory()
    worker = CompleteTraineeFactory()
    client.force_login(user)
    assert client.get(NOMINATE).status_code == 200
    response = client.post(NOMINATE, {"assessment": assessment.pk, "niks": worker.nik})
    assert response.status_code == 200
    assert 'data-testid="nomination-report"' in response.content.decode()
    assert client.post(NOMINATE, {"assessment": "", "niks": ""}).status_code == 400


# ------------------------------------------------------------------ recording a licence


def test_employer_records_a_licence_of_a_placed_worker_bound_to_it(client):
    from courses.models import Credential

    user = employer_account()
    from placements.selectors import employer_for_user

    employer = employer_for_user(user)
    worker = CompleteTraineeFactory()
    Placement.objects.create(employer=employer, person=worker.user, start_date=in_days(-30))
    stranger = CompleteTraineeFactory()
    scheme = CredentialSchemeFactory(employer_bound=True, validity_months=60)
    url = reverse("placements:employer-credential-new")
    client.force_login(user)
    assert client.get(url).status_code == 200
    refused = client.post(
        url,
        {"person": stranger.pk, "scheme": scheme.pk, "number": "SIO/1", "issued_on": "2026-01-02"},
    )
    assert refused.status_code == 400  # not in the choices: not placed with this company
    response = client.post(
        url,
        {"person": worker.pk, "scheme": scheme.pk, "number": "SIO/1", "issued_on": "2026-01-02"},
    )
    assert response.status_code == 302
    credential = Credential.objects.get(number="SIO/1")
    assert credential.holder == worker
    assert credential.employer_name == employer.name
    # No K3 contact named yet: the reminders go to the account that recorded it.
    assert credential.employer_contact_email == ""
    assert credential.employer_account == user
    assert credential.employer_licence.employer == employer
    assert credential.verified_at is None
    assert credential.expires_on == datetime.date(2031, 1, 1)
    again = client.post(
        url,
        {"person": worker.pk, "scheme": scheme.pk, "number": "SIO/1", "issued_on": "2026-01-02"},
    )
    assert again.status_code == 400
    assert Credential.objects.filter(number="SIO/1").count() == 1


def test_the_service_refuses_a_person_not_placed_with_the_employer():
    from placements.errors import EmployerError
    from placements.services.credentials import employer_credential_record

    with pytest.raises(EmployerError) as error:
        employer_credential_record(
            employer=EmployerFactory(),
            trainee=CompleteTraineeFactory(),
            scheme=CredentialSchemeFactory(),
            number="X",
            issued_on=in_days(-1),
            actor=None,
        )
    assert error.value.code == EmployerError.NOT_PLACED


def test_the_vacancy_page_names_the_licence_it_requires(client):
    scheme = CredentialSchemeFactory(name="SIO Operator Forklift Kelas II")
    vacancy = VacancyFactory(required_scheme=scheme)
    body = client.get(vacancy.get_absolute_url()).content.decode()
    assert "SIO Operator Forklift Kelas II" in body


# ------------------------------------------------------------------ K3 contact, licences to record


def _hire_for_a_licence_job(employer, *, scheme=None):
    from placements.models import JobApplication
    from placements.services import job_application_move

    scheme = scheme or CredentialSchemeFactory(
        name="SIO Operator Forklift Kelas II", employer_bound=True
    )
    vacancy = VacancyFactory(employer=employer, title="Operator Forklift", licence_scheme=scheme)
    worker = CompleteTraineeFactory(user__full_name="Budi Hartono")
    application = JobApplication.objects.create(vacancy=vacancy, person=worker.user)
    actor = employer.members.first().user
    for to in ("shortlisted", "offered"):
        job_application_move(job_application=application, employer=employer, to=to, actor=actor)
    job_application_move(
        job_application=application,
        employer=employer,
        to="hired",
        actor=actor,
        start_date=in_days(1),
        salary=3_000_000,
    )
    return scheme, worker, Placement.objects.get(job_application=application)


def test_a_hire_for_a_licence_job_asks_the_k3_contact_to_record_the_licence(client):
    from notifications.models import Notification
    from placements.selectors import employer_for_user

    user = employer_account(k3_contact_name="Rina K3", k3_contact_email="k3@kcc.example")
    employer = employer_for_user(user)
    scheme, worker, placement = _hire_for_a_licence_job(employer)
    asked = Notification.objects.get(kind="employer.licence_to_record")
    assert asked.address == "k3@kcc.example"
    assert asked.context["person"] == "Budi Hartono"
    assert asked.context["url"] == LIST + "#to-record"
    client.force_login(user)
    page = client.get(LIST)
    to_record = [p.pk for p in page.context["to_record"]]
    assert to_record == [placement.pk]
    assert "Budi Hartono" in page.content.decode()
    form = client.get(
        reverse("placements:employer-credential-new") + f"?person={worker.pk}&scheme={scheme.pk}"
    )
    assert form.context["form"].initial == {"person": str(worker.pk), "scheme": str(scheme.pk)}
    recorded = client.post(
        reverse("placements:employer-credential-new"),
        {"person": worker.pk, "scheme": scheme.pk, "number": "SIO/JTG/9", "issued_on": in_days(5)},
    )
    assert recorded.status_code == 302
    credential = placement.licences.get().credential
    assert credential.employer_contact_email == "k3@kcc.example"
    assert credential.employer_contact_name == "Rina K3"
    assert client.get(LIST).context["to_record"] == []


def test_without_a_k3_contact_the_employers_accounts_are_asked():
    from notifications.models import Notification
    from placements.selectors import employer_for_user

    user = employer_account()
    _hire_for_a_licence_job(employer_for_user(user))
    asked = Notification.objects.get(kind="employer.licence_to_record")
    assert asked.recipient == user


def test_a_hire_for_a_job_without_a_licence_asks_nothing():
    from notifications.models import Notification
    from placements.services import placement_record_outside

    employer = EmployerFactory()
    placement_record_outside(
        employer=employer,
        person=CompleteTraineeFactory().user,
        vacancy=VacancyFactory(employer=employer),
        start_date=in_days(-3),
        actor=None,
    )
    assert not Notification.objects.filter(kind="employer.licence_to_record").exists()


def test_a_new_k3_contact_takes_over_the_reminders_of_the_bound_licences(client):
    from courses.certification.services.reminders import credential_reminders_send
    from notifications.models import Notification
    from placements.selectors import employer_for_user
    from placements.services import employer_update
    from placements.services.credentials import employer_credential_record

    user = employer_account()
    employer = employer_for_user(user)
    scheme, worker, _placement = _hire_for_a_licence_job(employer)
    credential = employer_credential_record(
        employer=employer,
        trainee=worker,
        scheme=scheme,
        number="SIO/JTG/10",
        issued_on=in_days(-5),
        expires_on=in_days(30),
        actor=user,
    )
    other = CredentialFactory(
        scheme=scheme, employer_contact_email="old@other.example", expires_on=in_days(30)
    )
    employer_update(
        employer=employer,
        data={
            "k3_contact_name": "Rina K3",
            "k3_contact_email": "k3@kcc.example",
            "k3_contact_phone": "+6281234500000",
        },
    )
    credential.refresh_from_db()
    assert (credential.employer_contact_name, credential.employer_contact_email) == (
        "Rina K3",
        "k3@kcc.example",
    )
    assert credential.employer_contact_phone == "+6281234500000"
    assert credential.employer_account == user  # the fallback stays
    other.refresh_from_db()
    assert other.employer_contact_email == "old@other.example"  # not bound to this company
    credential_reminders_send()
    employer_copy = Notification.objects.get(
        kind="credential.expiring", dedup_key__endswith=f"{credential.pk}:30:employer"
    )
    assert employer_copy.address == "k3@kcc.example"
    assert employer_copy.context["url"] == LIST
    assert employer_copy.context["holder"] == "Budi Hartono"


def test_without_a_k3_contact_the_reminder_goes_to_the_employer_account():
    from courses.certification.services.reminders import credential_reminders_send
    from notifications.models import Notification

    user = employer_account()
    credential = CredentialFactory(
        scheme=CredentialSchemeFactory(employer_bound=True),
        expires_on=in_days(7),
        employer_account=user,
    )
    credential_reminders_send()
    employer_copy = Notification.objects.get(
        dedup_key=f"credential.expiring:{credential.pk}:7:employer"
    )
    assert employer_copy.recipient == user


def test_the_company_page_names_the_k3_contact(client):
    from placements.selectors import employer_for_user

    user = employer_account()
    employer = employer_for_user(user)
    client.force_login(user)
    page = client.get(reverse("placements:employer-company"))
    assert "Kontak K3" in page.content.decode()
    data = {
        field: getattr(employer, field)
        for field in ("name", "nib", "sector", "zone", "address", "contact_person", "email")
    }
    data.update(
        phone="081234567890",
        k3_contact_name="Rina K3",
        k3_contact_email="k3@kcc.example",
        k3_contact_phone="0812 3450 0000",
    )
    assert client.post(reverse("placements:employer-company"), data).status_code == 302
    employer.refresh_from_db()
    assert employer.k3_contact_email == "k3@kcc.example"
    assert employer.k3_contact_phone.startswith("+62")
    bad = client.post(reverse("placements:employer-company"), {**data, "k3_contact_phone": "12"})
    assert bad.status_code == 400
