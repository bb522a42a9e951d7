"""Certification: assessments (registration, results, the BNSP number), the registry
(status from dates, record, verify, revoke, left the employer) and the reminders."""

import datetime

import pytest
from django.utils import timezone

from courses.certification.rules import reminder_threshold_due
from courses.certification.services.assessments import (
    assessment_certificate_record,
    assessment_register,
    assessment_results_record,
)
from courses.certification.services.credentials import (
    credential_employer_left,
    credential_record,
    credential_revoke,
    credential_verify,
)
from courses.certification.services.reminders import credential_reminders_send
from courses.errors import CertificationError
from courses.models import (
    AssessmentRegistration,
    Credential,
    CredentialEvent,
    CredentialReminder,
    CredentialStatus,
)
from courses.tests.factories import (
    AssessmentFactory,
    CertificateFactory,
    CohortFactory,
    CredentialFactory,
    CredentialSchemeFactory,
    SchemeUnitFactory,
    application_in,
)
from notifications.models import Notification
from trainees.tests.factories import CompleteTraineeFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)
R = AssessmentRegistration.Status


def days(n):
    return TODAY + datetime.timedelta(days=n)


# ------------------------------------------------------------------ derived status


@pytest.mark.parametrize(
    ("expires", "revoked", "bound", "left", "expected"),
    [
        (days(200), False, False, None, CredentialStatus.ACTIVE),
        (None, False, False, None, CredentialStatus.ACTIVE),
        (days(90), False, False, None, CredentialStatus.EXPIRING),
        (days(0), False, False, None, CredentialStatus.EXPIRING),
        (days(-1), False, False, None, CredentialStatus.EXPIRED),
        (days(200), True, False, None, CredentialStatus.REVOKED),
        (days(200), False, True, days(-3), CredentialStatus.MOVED_EMPLOYER),
        (days(200), False, False, days(-3), CredentialStatus.ACTIVE),
        (days(200), False, True, days(5), CredentialStatus.ACTIVE),
    ],
)
def test_status_is_derived_from_dates_and_sql_agrees(expires, revoked, bound, left, expected):
    scheme = CredentialSchemeFactory(employer_bound=bound)
    credential = CredentialFactory(
        scheme=scheme,
        issued_on=days(-400),
        expires_on=expires,
        employer_left_on=left,
        revoked_at=timezone.now() if revoked else None,
        revoke_reason="forged" if revoked else "",
    )
    assert credential.status_on(TODAY) == expected
    annotated = Credential.objects.annotate_status(today=TODAY).get(pk=credential.pk)
    assert annotated.status_now == expected


def test_reminder_thresholds():
    assert reminder_threshold_due(expires_on=days(120), today=TODAY) is None
    assert reminder_threshold_due(expires_on=days(90), today=TODAY) == 90
    assert reminder_threshold_due(expires_on=days(45), today=TODAY) == 60
    assert reminder_threshold_due(expires_on=days(7), today=TODAY) == 7
    assert reminder_threshold_due(expires_on=days(-1), today=TODAY) == 0


# ------------------------------------------------------------------ registry


def test_record_computes_expiry_from_the_scheme_and_leaves_an_event(staff_member):
    scheme = CredentialSchemeFactory(validity_months=36)
    holder = CompleteTraineeFactory()
    credential = credential_record(
        scheme=scheme,
        holder=holder,
        number=" SIO/2026/1 ",
        issued_on=datetime.date(2026, 1, 10),
        actor=staff_member("Training staff"),
        employer_name="PT KCC Glass",
    )
    assert credential.number == "SIO/2026/1"
    assert credential.expires_on == datetime.date(2029, 1, 9)
    assert credential.holder_name == holder.user.full_name
    assert credential.verified_at is None
    assert len(credential.code) == 10
    event = credential.events.get()
    assert event.category == CredentialEvent.Category.RECORDED


def test_record_refuses_a_duplicate_number_and_bad_dates():
    scheme = CredentialSchemeFactory()
    CredentialFactory(scheme=scheme, number="X-1")

    def refused(**fields):
        with pytest.raises(CertificationError) as error:
            credential_record(
                scheme=scheme,
                holder=CompleteTraineeFactory(),
                issued_on=TODAY,
                actor=None,
                **fields,
            )
        return error.value.code

    assert refused(number="X-1") == CertificationError.NUMBER_TAKEN
    assert refused(number="X-2", expires_on=days(-5)) == CertificationError.DATES_INVALID
    assert Credential.objects.count() == 1


def test_verify_revoke_and_employer_left_are_events():
    credential = CredentialFactory(scheme=CredentialSchemeFactory(employer_bound=True))
    credential_verify(credential=credential, actor=None)
    with pytest.raises(CertificationError) as error:
        credential_verify(credential=credential, actor=None)
    assert error.value.code == CertificationError.ALREADY_VERIFIED
    credential_employer_left(credential=credential, actor=None, left_on=timezone.localdate())
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.MOVED_EMPLOYER
    with pytest.raises(CertificationError) as error:
        credential_revoke(credential=credential, actor=None, reason=" ")
    assert error.value.code == CertificationError.REASON_REQUIRED
    credential_revoke(credential=credential, actor=None, reason="Forged card")
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    categories = list(credential.events.values_list("category", flat=True))
    assert categories == ["verified", "employer_left", "revoked"]


def test_employer_left_refused_for_a_credential_not_bound():
    credential = CredentialFactory(scheme=CredentialSchemeFactory(employer_bound=False))
    with pytest.raises(CertificationError) as error:
        credential_employer_left(credential=credential, actor=None, left_on=TODAY)
    assert error.value.code == CertificationError.NOT_EMPLOYER_BOUND


def test_the_stc_certificate_joins_the_registry_and_its_revocation_follows():
    from courses.training.services.certificates import certificate_issue_missing, certificate_revoke

    cohort = CohortFactory()
    application = application_in(cohort, "passed")
    (certificate,) = certificate_issue_missing(cohort=cohort, actor=None)
    credential = Credential.objects.get(certificate=certificate)
    assert credential.holder == application.trainee
    assert credential.number == certificate.number
    assert credential.expires_on is None
    assert credential.status == CredentialStatus.ACTIVE
    certificate_revoke(certificate=certificate, actor=None, reason="Issued by mistake")
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    assert credential.revoke_reason == "Issued by mistake"


# ------------------------------------------------------------------ assessments


def _graduate_of(program):
    application = application_in(CohortFactory(program=program), "passed")
    CertificateFactory(application=application)
    return application.trainee


def test_only_graduates_register_unless_nominated_and_seats_are_counted():
    cohort = CohortFactory()
    assessment = AssessmentFactory(program=cohort.program, seats=1)
    stranger = CompleteTraineeFactory()
    with pytest.raises(CertificationError) as error:
        assessment_register(assessment=assessment, trainee=stranger, actor=None)
    assert error.value.code == CertificationError.NOT_ELIGIBLE
    graduate = _graduate_of(cohort.program)
    registration = assessment_register(assessment=assessment, trainee=graduate, actor=graduate.user)
    assert registration.status == R.REGISTERED
    assert Notification.objects.filter(kind="assessment.update", recipient=graduate.user).exists()
    with pytest.raises(CertificationError) as error:
        assessment_register(assessment=assessment, trainee=graduate, actor=None)
    assert error.value.code == CertificationError.ALREADY_REGISTERED
    with pytest.raises(CertificationError) as error:
        assessment_register(
            assessment=assessment, trainee=stranger, actor=None, nominated_by="PT KCC Glass"
        )
    assert error.value.code == CertificationError.ASSESSMENT_FULL


def test_the_schemes_years_of_experience_apply_to_nominated_workers_too():
    scheme = CredentialSchemeFactory(min_experience_years=2)
    assessment = AssessmentFactory(scheme=scheme, program=None)
    worker = CompleteTraineeFactory(work_experience_years=1)
    with pytest.raises(CertificationError) as error:
        assessment_register(
            assessment=assessment, trainee=worker, actor=None, nominated_by="PT KCC Glass"
        )
    assert error.value.code == CertificationError.NOT_ELIGIBLE
    assert "2 tahun" in error.value.message
    worker.work_experience_years = 2
    worker.save()
    registration = assessment_register(
        assessment=assessment, trainee=worker, actor=None, nominated_by="PT KCC Glass"
    )
    assert registration.status == R.REGISTERED


def test_registration_closed_after_the_date():
    assessment = AssessmentFactory(date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(CertificationError) as error:
        assessment_register(assessment=assessment, trainee=CompleteTraineeFactory(), actor=None)
    assert error.value.code == CertificationError.ASSESSMENT_PAST


def registered_for_two_units():
    """An assessment of a scheme with two units and a person registered for it."""
    assessment = AssessmentFactory()
    units = [SchemeUnitFactory(scheme=assessment.scheme) for _ in range(2)]
    registration = assessment_register(
        assessment=assessment, trainee=CompleteTraineeFactory(), actor=None
    )
    return assessment, units, registration


def marks_record(registration, units, marks, actor=None):
    """The assessor's marks ("K" competent, "BK" not yet), one per unit in order."""
    results = {unit.pk: mark for unit, mark in zip(units, marks, strict=False)}
    return assessment_results_record(
        registration=registration, results=results, assessor="Budi", actor=actor
    )


def test_results_per_unit_decide_the_outcome_and_the_number_makes_a_credential(
    staff_member,
):
    staff = staff_member("Training staff")
    assessment, units, registration = registered_for_two_units()
    with pytest.raises(CertificationError) as error:
        marks_record(registration, units, ["K"], actor=staff)  # the second unit has none
    assert error.value.code == CertificationError.RESULTS_INCOMPLETE
    marks_record(registration, units, ["K", "K"], actor=staff)
    registration.refresh_from_db()
    assert registration.status == R.COMPETENT
    assert registration.unit_results.count() == 2
    with pytest.raises(CertificationError) as error:
        assessment_certificate_record(
            registration=registration,
            number="62090 001",
            arrived_on=assessment.date - datetime.timedelta(days=1),
            actor=staff,
        )
    assert error.value.code == CertificationError.DATES_INVALID
    credential = assessment_certificate_record(
        registration=registration,
        number="62090 001",
        arrived_on=assessment.date + datetime.timedelta(days=90),
        actor=staff,
    )
    assert credential.registration == registration
    assert credential.issued_on == assessment.date
    assert credential.expires_on == assessment.date.replace(
        year=assessment.date.year + 3
    ) - datetime.timedelta(days=1)
    assert credential.verified_at is not None
    steps = Notification.objects.filter(kind="assessment.update").count()
    assert steps == 3  # registered, Kompeten, certificate arrived


def test_any_bk_is_not_yet_competent_and_no_certificate_follows():
    assessment, units, registration = registered_for_two_units()
    marks_record(registration, units, ["K", "BK"])
    registration.refresh_from_db()
    assert registration.status == R.NOT_YET_COMPETENT
    with pytest.raises(CertificationError) as error:
        assessment_certificate_record(
            registration=registration, number="1", arrived_on=assessment.date, actor=None
        )
    assert error.value.code == CertificationError.NOT_COMPETENT
    assert not Credential.objects.exists()


# ------------------------------------------------------------------ reminders


def test_reminder_job_run_twice_sends_once_to_holder_and_employer_contact():
    scheme = CredentialSchemeFactory(employer_bound=True)
    today = timezone.localdate()
    bound = CredentialFactory(
        scheme=scheme,
        expires_on=today + datetime.timedelta(days=30),
        employer_name="PT KCC Glass",
        employer_contact_email="k3@kcc.example",
    )
    CredentialFactory(expires_on=today + datetime.timedelta(days=200))  # not due
    CredentialFactory(
        expires_on=today + datetime.timedelta(days=10),
        revoked_at=timezone.now(),
        revoke_reason="forged",
    )
    assert credential_reminders_send(today=today) == 1
    assert credential_reminders_send(today=today) == 0
    mails = Notification.objects.filter(kind="credential.expiring")
    assert mails.count() == 2
    assert set(mails.values_list("address", flat=True)) >= {"k3@kcc.example"}
    assert CredentialReminder.objects.get().threshold == 30
    assert bound.events.filter(category="reminder").count() == 1
    # Later thresholds come on their day, once each.
    later = today + datetime.timedelta(days=23)
    assert credential_reminders_send(today=later) == 1
    assert credential_reminders_send(today=later) == 0
    assert CredentialReminder.objects.filter(credential=bound, threshold=7).exists()


def test_after_expiry_one_message_with_the_next_refresher():
    scheme = CredentialSchemeFactory()
    today = timezone.localdate()
    refresher = CohortFactory(
        program__credential_scheme=scheme,
        program__is_published=True,
        training_start=today + datetime.timedelta(days=20),
        training_end=today + datetime.timedelta(days=40),
    )
    CredentialFactory(scheme=scheme, expires_on=today - datetime.timedelta(days=1))
    assert credential_reminders_send(today=today) == 1
    assert credential_reminders_send(today=today + datetime.timedelta(days=1)) == 0
    mail = Notification.objects.get(kind="credential.expired")
    assert mail.context["next_intake"] == refresher.code


def test_the_data_migration_puts_existing_certificates_in_the_registry_with_their_code():
    import importlib

    from django.apps import apps

    from courses.training.services.certificates import certificate_issue_missing

    cohort = CohortFactory()
    application_in(cohort, "passed")
    (certificate,) = certificate_issue_missing(cohort=cohort, actor=None)
    assert Credential.objects.get(certificate=certificate).code == certificate.code
    Credential.objects.all().delete()  # as before the registry existed
    module = importlib.import_module("courses.migrations.0008_credentials_from_certificates")
    module.forwards(apps, None)
    module.forwards(apps, None)  # a second run adds nothing
    credential = Credential.objects.get()
    assert credential.certificate == certificate
    assert credential.code == certificate.code
    assert credential.status == CredentialStatus.ACTIVE


def test_the_reminder_job_is_a_daily_beat_job_on_the_periodic_queue(settings):
    from courses.tasks import credential_reminders_send_task

    name = credential_reminders_send_task.name
    assert name == "courses.tasks.credential_reminders_send_task"
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == name]
    assert len(entries) == 1
    assert settings.CELERY_TASK_ROUTES[name] == {"queue": "periodic"}
