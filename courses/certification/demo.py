"""Demo certification data for `seed_demo`, called by courses/demo.py after training.

K3 and BNSP schemes (linked to the K3 track's programmes of demo_programs.json), the STC
certificates of the demo graduates in the registry, competency assessments (one held,
with Kompeten and Belum Kompeten results and a BNSP certificate arrived; one ahead), and
recorded K3 licences in every status: active, expiring, expired, revoked, holder left
the employer. Deterministic and idempotent (natural keys: scheme code, credential
number); like the other demo data it bypasses the services on purpose: no messages.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from courses.certification.services.credentials import CODE_ALPHABET
from courses.models import (
    Assessment,
    AssessmentRegistration,
    AssessmentUnitResult,
    Certificate,
    Credential,
    CredentialScheme,
    Program,
    SchemeUnit,
)
from trainees.models import Trainee

K = CredentialScheme.Kind
# code, name, kind, issuer, validity months, employer bound, the programme it follows
SCHEMES = [
    ("stc-training", "Sertifikat Pelatihan STC Batang", K.STC_TRAINING,
     "Smart Training Center Batang", None, False, ""),
    ("ak3u-skp", "Ahli K3 Umum (SKP Kemnaker)", K.K3_LICENCE,
     "Kemnaker RI", 36, True, "ahli-k3-umum"),
    ("sio-forklift-2", "SIO Operator Forklift Kelas II", K.K3_LICENCE,
     "Disnakertrans Provinsi Jawa Tengah", 60, True, "operator-forklift-kelas-2"),
    ("k3-listrik", "Sertifikat Pembinaan Teknisi K3 Listrik", K.K3_PEMBINAAN,
     "PJK3 Balai K3 Batang", None, False, "k3-listrik"),
    ("tkpk-1", "Lisensi K3 Bekerja di Ketinggian (TKPK 1)", K.K3_LICENCE,
     "Kemnaker RI", 36, True, "bekerja-di-ketinggian"),
    ("bnsp-forklift", "Operator Forklift (Sertifikat Kompetensi BNSP)", K.BNSP,
     "BNSP — LSP P3 Logistik Indonesia", 36, False, ""),
]  # fmt: skip
RENEWAL = (
    "Surat keterangan sehat dari dokter\n"
    "Surat keterangan pengalaman kerja dari perusahaan\n"
    "Pas foto 3×4 latar merah\n"
    "Fotokopi lisensi yang lama"
)
BNSP_UNITS = [
    ("H.492000.010.01", "Memeriksa Kelaikan Forklift Sebelum Operasi"),
    ("H.492000.011.01", "Mengoperasikan Forklift dengan Aman"),
]
EMPLOYER = "PT KCC Glass Indonesia"


def _code(seed: str) -> str:
    """A stable demo verification code (10 characters of the code alphabet)."""
    import hashlib

    digest = hashlib.sha256(f"demo-credential:{seed}".encode()).digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:10])


def _schemes() -> dict[str, CredentialScheme]:
    schemes = {}
    for code, name, kind, issuer, months, bound, program_slug in SCHEMES:
        scheme, _created = CredentialScheme.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "issuer": issuer,
                "validity_months": months,
                "employer_bound": bound,
                "renewal_requirements": RENEWAL if months else "",
                "renewal_lead_days": 30,
                "required_documents": "Surat keterangan sehat\nSurat pengalaman kerja"
                if kind == K.K3_LICENCE
                else "",
                # Scheme-specific eligibility the programmes' applicants meet too.
                "min_education": {"ak3u-skp": "d3", "sio-forklift-2": "smp"}.get(code, ""),
                "min_experience_years": {"ak3u-skp": 2, "sio-forklift-2": 1}.get(code),
            },
        )
        schemes[code] = scheme
        if program_slug:
            Program.objects.filter(slug=program_slug).update(credential_scheme=scheme)
    for position, (unit_code, title) in enumerate(BNSP_UNITS):
        SchemeUnit.objects.update_or_create(
            scheme=schemes["bnsp-forklift"],
            code=unit_code,
            defaults={"title": title, "position": position},
        )
    return schemes


def _certificates(stc: CredentialScheme) -> int:
    """The registry entry of every demo STC certificate that has none."""
    missing = Certificate.objects.filter(credential__isnull=True).select_related(
        "application__trainee"
    )
    rows = [
        Credential(
            scheme=stc,
            holder=c.application.trainee,
            holder_name=c.holder_name,
            number=c.number,
            issuer=stc.issuer,
            issued_on=c.issued_on,
            code=c.code,
            certificate=c,
            revoked_at=c.revoked_at,
            revoke_reason=c.revoke_reason,
            verified_at=timezone.now(),
        )
        for c in missing
    ]
    Credential.objects.bulk_create(rows)
    return len(rows)


def _licences(schemes, people: list[Trainee], today: datetime.date) -> int:
    """Recorded K3 licences, one per status, for the first demo people."""
    specs = [
        # number, scheme, issued days ago, expires in days, revoked, left employer days ago
        ("SIO/JTG/2022/00417", "sio-forklift-2", 1500, 320, False, None),
        ("SIO/JTG/2021/00388", "sio-forklift-2", 1790, 30, False, None),
        ("SKP/AK3U/2023/1187", "ak3u-skp", 1090, 5, False, None),
        ("TKPK1/2022/0655", "tkpk-1", 1120, -20, False, None),
        ("SIO/JTG/2023/00902", "sio-forklift-2", 700, 1100, True, None),
        ("TKPK1/2024/0231", "tkpk-1", 400, 695, False, 60),
    ]
    written = 0
    for index, (number, code, issued_ago, expires_in, revoked, left_ago) in enumerate(specs):
        if index >= len(people):
            break
        holder = people[index]
        scheme = schemes[code]
        _credential, created = Credential.objects.update_or_create(
            scheme=scheme,
            number=number,
            defaults={
                "holder": holder,
                "holder_name": holder.user.full_name,
                "issuer": scheme.issuer,
                "issued_on": today - datetime.timedelta(days=issued_ago),
                "expires_on": today + datetime.timedelta(days=expires_in),
                "code": _code(number),
                "employer_name": EMPLOYER,
                "employer_contact_email": "k3@kcc-glass.example.com",
                "employer_left_on": today - datetime.timedelta(days=left_ago) if left_ago else None,
                "revoked_at": timezone.now() if revoked else None,
                "revoke_reason": "Nomor lisensi tidak terdaftar di Kemnaker (kartu palsu)."
                if revoked
                else "",
                "verified_at": None if revoked else timezone.now(),
            },
        )
        written += int(created)
    return written


def _assessments(schemes, people: list[Trainee], today: datetime.date) -> int:
    scheme = schemes["bnsp-forklift"]
    program = Program.objects.filter(slug="operator-forklift-kelas-2").first()
    held, _created = Assessment.objects.update_or_create(
        scheme=scheme,
        tuk="TUK Sewaktu STC Batang",
        lsp="LSP P3 Logistik Indonesia",
        defaults={
            "program": program,
            "date": today - datetime.timedelta(days=100),
            "assessors": "Agus Priyanto (MET.000.004512 2019), Sri Handayani",
            "seats": 12,
        },
    )
    ahead, _created = Assessment.objects.update_or_create(
        scheme=scheme,
        tuk="TUK Tempat Kerja PT KCC Glass Indonesia",
        lsp="LSP P3 Logistik Indonesia",
        defaults={
            "program": program,
            "date": today + datetime.timedelta(days=21),
            "assessors": "Agus Priyanto (MET.000.004512 2019)",
            "seats": 10,
        },
    )
    units = list(scheme.units.order_by("position"))
    outcomes = [
        ("competent", ["K", "K"], "62090 2421 3 0001234 2026"),
        ("competent", ["K", "K"], ""),
        ("not_yet_competent", ["K", "BK"], ""),
    ]
    written = 0
    for person, (status, results, number) in zip(people[6:9], outcomes, strict=False):
        registration, created = AssessmentRegistration.objects.update_or_create(
            assessment=held,
            trainee=person,
            defaults={
                "status": status,
                "bnsp_number": number,
                "certificate_arrived_on": held.date + datetime.timedelta(days=90)
                if number
                else None,
            },
        )
        written += int(created)
        for unit, result in zip(units, results, strict=True):
            AssessmentUnitResult.objects.update_or_create(
                registration=registration,
                unit=unit,
                defaults={"result": result, "assessor": "Agus Priyanto"},
            )
        if number:
            Credential.objects.update_or_create(
                scheme=scheme,
                number=number,
                defaults={
                    "holder": person,
                    "holder_name": person.user.full_name,
                    "issuer": scheme.issuer,
                    "issued_on": held.date,
                    "expires_on": held.date.replace(year=held.date.year + 3)
                    - datetime.timedelta(days=1),
                    "code": _code(number),
                    "registration": registration,
                    "verified_at": timezone.now(),
                },
            )
    if len(people) > 9:
        AssessmentRegistration.objects.get_or_create(
            assessment=ahead, trainee=people[9], defaults={"nominated_by": EMPLOYER}
        )
    return written


def seed() -> dict[str, int]:
    today = timezone.localdate()
    schemes = _schemes()
    certificates = _certificates(schemes["stc-training"])
    people = list(
        Trainee.objects.filter(nik__isnull=False)
        .exclude(user__full_name="")
        .select_related("user")
        .order_by("pk")[:10]
    )
    return {
        "credential_schemes": len(schemes),
        "credentials_from_certificates": certificates,
        "k3_licences": _licences(schemes, people, today),
        "assessment_registrations": _assessments(schemes, people, today),
    }
