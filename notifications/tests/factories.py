import datetime
import uuid

import factory

from accounts.models import User
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notification_bulk_send, notification_queue


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"orang{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Orang {n}")
    language = "id"
    # No usable password: hashing one costs a noticeable fraction of a second per user.
    password = "!"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = Kind.APPLICATION_RECEIVED
    address = factory.Sequence(lambda n: f"penerima{n}@example.com")
    language = "id"
    context = factory.LazyFunction(
        lambda: {"program": "Las Listrik", "cohort": "Angkatan 1", "url": "/lamaran/1/"}
    )
    dedup_key = factory.Sequence(lambda n: f"test:{n}")


# A valid context for every kind, as a caller would pass it.
SAMPLE_CONTEXT = {
    # Secret links (SECRET_LINK_KEYS) are never passed: see `fake_secret_links` below.
    Kind.ACCOUNT_VERIFY_EMAIL: {"valid_days": 3},
    Kind.ACCOUNT_PASSWORD_RESET: {"email": "dewi@example.com"},
    Kind.ACCOUNT_ONE_TIME_CODE: {
        "code_id": 1,
        "purpose": "password reset",
        "expires_at": datetime.datetime(2030, 12, 1, 8, 10, tzinfo=datetime.UTC),
        "url": "/accounts/password_reset/code/",
    },
    Kind.APPLICATION_RECEIVED: {"program": "Las Listrik", "cohort": "Angkatan 1", "url": "/l/1/"},
    Kind.APPLICATION_DOCUMENTS_VERIFIED: {
        "program": "Las Listrik",
        "cohort": "Angkatan 1",
        "url": "/l/1/",
    },
    Kind.APPLICATION_ACCEPTED: {
        "program": "Las Listrik",
        "cohort": "Angkatan 1",
        "url": "/l/1/",
        "confirm_by": datetime.date(2026, 12, 20),
    },
    Kind.APPLICATION_RESERVE: {"program": "Las Listrik", "cohort": "Angkatan 1", "url": "/l/1/"},
    Kind.APPLICATION_NOT_ACCEPTED: {
        "program": "Las Listrik",
        "cohort": "Angkatan 1",
        "reason": "Kuota penuh",
        "url": "/l/1/",
    },
    Kind.APPLICATION_SEAT_OFFERED: {
        "program": "Las Listrik",
        "cohort": "Angkatan 1",
        "expires_at": datetime.datetime(2026, 12, 20, 16, 0, tzinfo=datetime.UTC),
        "url": "/l/1/tawaran/",
    },
    Kind.APPLICATION_REREGISTRATION_REMINDER: {
        "program": "Las Listrik",
        "cohort": "Angkatan 1",
        "deadline": datetime.date(2026, 12, 21),
        "url": "/l/1/daftar-ulang/",
    },
    Kind.COHORT_START_REMINDER: {
        "program": "Las Listrik",
        "cohort": "Angkatan 1",
        "starts_on": datetime.date(2026, 12, 24),
        "location": "Gedung STC, Kandeman",
        "schedule": "Senin–Jumat, 08.00–16.00 WIB",
        "bring": "KTP\nAlat tulis\nSepatu tertutup",
        "contact": "Bu Sri, 0812 3456 7890",
        "url": "/l/1/",
    },
    Kind.APPLICATION_WITHDRAWN: {
        "program": "Las Listrik",
        "cohort": "Angkatan 1",
        "reason": "Tidak daftar ulang sampai batas waktu",
        "url": "/l/1/",
    },
    Kind.CERTIFICATE_ISSUED: {
        "program": "Las Listrik",
        "certificate_number": "STC-2026-0042",
        "url": "/sertifikat/42/",
    },
    Kind.EMPLOYER_VERIFIED: {"employer": "PT Maju Jaya", "url": "/perusahaan/"},
    Kind.EMPLOYER_LICENCE_TO_RECORD: {
        "employer": "PT Maju Jaya",
        "person": "Budi Hartono",
        "scheme": "SIO Operator Forklift Kelas II",
        "vacancy": "Operator Forklift",
        "url": "/employers/credentials/#to-record",
    },
    Kind.VACANCY_PUBLISHED: {"vacancy": "Operator Mesin", "url": "/lowongan/7/"},
    Kind.VACANCY_REJECTED: {
        "vacancy": "Operator Mesin",
        "reason": "Gaji tidak dicantumkan",
        "url": "/lowongan/7/ubah/",
    },
    Kind.EMPLOYER_APPLICANTS_DIGEST: {
        "employer": "PT Maju Jaya",
        "vacancies": [
            {"title": "Operator Mesin", "count": 3, "url": "/lowongan/7/pelamar/"},
            {"title": "Juru Las", "count": 1, "url": "/lowongan/8/pelamar/"},
        ],
        "url": "/perusahaan/pelamar/",
    },
    Kind.JOB_APPLICATION_STATUS_CHANGED: {
        "vacancy": "Operator Mesin",
        "employer": "PT Maju Jaya",
        "status": "Interview",
        "note": "Datang hari Senin pukul 09.00",
        "url": "/lamaran-kerja/3/",
    },
    Kind.JOB_APPLICATION_VACANCY_CLOSED: {
        "vacancy": "Operator Mesin",
        "employer": "PT Maju Jaya",
        "continues": False,
        "url": "/me/jobs/3/",
    },
    Kind.JOB_APPLICATION_NO_RESPONSE: {
        "vacancy": "Operator Mesin",
        "employer": "PT Maju Jaya",
        "status": "Applied",
        "days": 14,
        "url": "/me/jobs/3/",
    },
    Kind.TRACER_SURVEY: {
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "months": 3,
        "survey": 1,
    },
    Kind.PLEDGE_STATUS_CHANGED: {
        "employer": "PT Maju Jaya",
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "status": "Accepted",
        "reason": "",
        "url": "/employers/pledges/1/",
    },
    Kind.PLEDGE_INVITATION: {
        "employer": "PT Maju Jaya",
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "message": "Kami mengundang Anda wawancara hari Senin pukul 09.00.",
        "url": "/vacancies/",
    },
    Kind.PLEDGE_INTAKE_ENDING: {
        "employer": "PT Maju Jaya",
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "ends_on": datetime.date(2026, 12, 18),
        "url": "/employers/pledges/1/",
    },
    Kind.PLEDGE_LAPSING: {
        "employer": "PT Maju Jaya",
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "until": datetime.date(2027, 2, 15),
        "done": 3,
        "owed": 10,
        "url": "/employers/pledges/1/",
    },
    Kind.PLEDGES_BROKEN: {
        "employer": "PT Maju Jaya",
        "broken": 2,
        "url": "/admin/placements/pledge/",
    },
    Kind.COVER_ACTIVE: {
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "programmes": "JKK, JKM",
        "starts_on": datetime.date(2026, 11, 2),
        "ends_on": datetime.date(2026, 12, 18),
        "kpj": "26012345678",
        "phone": "175",
        "url": "/me/",
    },
    Kind.COVER_MISSING: {
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "starts_on": datetime.date(2026, 11, 2),
        "missing": 3,
        "url": "/admin/welfare/coverage/cohort/1/",
    },
    Kind.ASSESSMENT_UPDATE: {
        "scheme": "Operator Forklift Kelas II",
        "date": datetime.date(2027, 1, 20),
        "step": "Kompeten",
        "tuk": "TUK STC Batang",
        "number": "62090 2421 3 0001234 2027",
        "url": "/me/credentials/",
    },
    Kind.CREDENTIAL_EXPIRING: {
        "scheme": "SIO Operator Forklift",
        "number": "SIO/2024/0042",
        "expires_on": datetime.date(2027, 3, 1),
        "days_left": 30,
        "lead_days": 30,
        "requirements": ["Surat keterangan sehat", "Surat pengalaman kerja"],
        "url": "/me/credentials/",
    },
    Kind.CREDENTIAL_EXPIRED: {
        "scheme": "SIO Operator Forklift",
        "number": "SIO/2024/0042",
        "expires_on": datetime.date(2027, 3, 1),
        "next_intake": "K3FL-2027-02",
        "next_intake_starts": datetime.date(2027, 4, 5),
        "url": "/me/credentials/",
    },
    Kind.PAYEE_CHANGED: {
        "program": "Operator Mesin CNC",
        "cohort": "CNC-2026-01",
        "provider": "BRI",
        "account_end": "5678",
        "changed_at": datetime.datetime(2026, 12, 2, 7, 30, tzinfo=datetime.UTC),
        "url": "/me/allowance/",
    },
    Kind.GRADUATE_VACANCY_DIGEST: {
        "vacancies": [
            {
                "title": "Operator Mesin",
                "employer": "PT Maju Jaya",
                "location": "KEK Batang",
                "closes_on": datetime.date(2026, 12, 31),
                "url": "/lowongan/7/",
            },
        ],
        "url": "/lowongan/",
    },
}


# What the fake makers of `fake_secret_links` (conftest) put in a message, per kind: the
# notifications app's tests do not depend on the apps that own the real makers.
FAKE_SECRET_LINKS = {
    Kind.ACCOUNT_VERIFY_EMAIL: {"url": "/accounts/verify/fake-token/"},
    Kind.ACCOUNT_PASSWORD_RESET: {"url": "/accounts/reset/MQ/fake-token/"},
    Kind.ACCOUNT_ONE_TIME_CODE: {"code": "424242"},
    Kind.TRACER_SURVEY: {
        "url": "/tracer/fake-token/",
        "url_working": "/tracer/fake-token/?answer=working",
        "url_not_working": "/tracer/fake-token/?answer=not_working",
    },
}


def sample_url(kind: str) -> str:
    """The main link a message of `kind` built from SAMPLE_CONTEXT carries."""
    return {**SAMPLE_CONTEXT[kind], **FAKE_SECRET_LINKS.get(kind, {})}["url"]


def sample_queue(kind=Kind.APPLICATION_RECEIVED, **kwargs) -> Notification:
    """Queue a message of `kind` with its SAMPLE_CONTEXT (and a dedup key of its own unless
    given), as the service that sends it would."""
    kwargs.setdefault("context", SAMPLE_CONTEXT[kind])
    kwargs.setdefault("dedup_key", f"test:{uuid.uuid4().hex}")
    return notification_queue(kind=kind, **kwargs)


def digests_queue(users, *, week: str) -> list[Notification]:
    """Queue the week's vacancy digest to each of `users` and hand the rows over as one
    bulk batch, as the weekly job does (one send task per 50)."""
    rows = [
        notification_queue(
            kind=Kind.GRADUATE_VACANCY_DIGEST,
            recipient=user,
            context=SAMPLE_CONTEXT[Kind.GRADUATE_VACANCY_DIGEST],
            dedup_key=f"graduate.vacancy_digest:{week}:{user.pk}",
            bulk=True,
        )
        for user in users
    ]
    notification_bulk_send(notification_ids=[row.pk for row in rows])
    return rows
