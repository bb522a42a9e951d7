"""Demo job seekers for `manage.py seed_demo [--scale N]` (500 per scale unit).

Deterministic (all randomness from the given generator, fixed dates) and idempotent
(upserts on e-mail and on the account). Bulk writes with one precomputed password hash,
so `--scale 40` (20,000 people) takes seconds, not the hours PBKDF2 per row would.
Everyone's password is DEMO_PASSWORD; `pencari@demo.stc-batang.id` has a complete
profile with documents, ready to apply.
"""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User

from . import services
from .models import Document, Trainee
from .nik import nik_compose
from .regions import BATANG, Kecamatan, Regency

PER_SCALE = 500
DEMO_PASSWORD = "demo-pencari-batang"  # noqa: S105 - printed on purpose, demo data only
DEMO_EMAIL = "pencari@demo.stc-batang.id"
# A fixed salt keeps the hash (and so the seeded rows) identical on every run.
_HASH = None

FIRST_NAMES_F = [
    "Siti",
    "Dewi",
    "Ayu",
    "Rina",
    "Nur",
    "Fitri",
    "Putri",
    "Lestari",
    "Wulan",
    "Indah",
]
FIRST_NAMES_M = ["Budi", "Agus", "Eko", "Rizki", "Dimas", "Fajar", "Bayu", "Andi", "Joko", "Arif"]
LAST_NAMES = ["Santoso", "Aminah", "Pratama", "Wibowo", "Saputra", "Rahayu", "Hidayat", "Kusuma"]
SCHOOLS = [
    "SMK Negeri 1 Batang",
    "SMK Negeri 2 Batang",
    "SMK Muhammadiyah Limpung",
    "SMA Negeri 1 Batang",
    "SMA Negeri 1 Subah",
    "SMK Negeri 1 Gringsing",
    "MA Negeri Batang",
    "Universitas Pekalongan",
]
MAJORS = ["Teknik Elektronika", "TKJ", "Teknik Mesin", "Tata Busana", "Akuntansi", "IPA", "IPS"]
EDUCATION = ["smp", "sma", "sma", "smk", "smk", "smk", "smk", "d3", "d4_s1"]
ACTIVITY = ["looking_for_work", "looking_for_work", "looking_for_work", "working", "studying"]
OTHER_REGENCIES = [Regency.PEKALONGAN, Regency.KOTA_PEKALONGAN, Regency.KENDAL, Regency.PEMALANG]
NIK_REGENCIES = ["3325"] * 7 + ["3326", "3324", "3374"]


def _demo_pdf() -> bytes:
    """A blank one-page PDF: enough for the demo person's KTP and ijazah."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = make_password(DEMO_PASSWORD, salt="batangdemo2026")
    return _HASH


def _person(i: int, rng: random.Random, today: datetime.date) -> tuple[dict, dict]:
    female = rng.random() < 0.5
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    name = f"{first} {rng.choice(LAST_NAMES)}"
    birth = today.replace(month=1, day=1) - datetime.timedelta(days=rng.randint(17 * 365, 38 * 365))
    in_batang = rng.random() < 0.7
    regency = BATANG if in_batang else rng.choice(OTHER_REGENCIES).value
    kecamatan = rng.choice(Kecamatan.values) if in_batang else ""
    gender = "female" if female else "male"
    # Serial and kecamatan digits come from i, so every NIK is unique whatever the dates.
    nik = nik_compose(
        regency=rng.choice(NIK_REGENCIES),
        kecamatan=f"{1 + (i // 9000) % 15:02d}",
        birth_date=birth,
        gender=gender,
        serial=i % 9000 + 1,
    )
    warnings = []
    if rng.random() < 0.02:  # a corrected birth date: the NIK still carries the old one
        birth = birth + datetime.timedelta(days=1)
        warnings = ["birth_date_mismatch"]
    education = rng.choice(EDUCATION)
    # A number is a login, so unique: one per person. The old random draw stays, so that
    # the rest of the demo's random sequence (and every figure built on it) is unchanged.
    rng.randint(10_000_000, 99_999_999)
    user = {
        "email": f"pencari{i:05d}@demo.stc-batang.id",
        "full_name": name,
        "phone": f"+6281{10_000_000 + i:08d}",
    }
    profile = {
        "nik": nik,
        "nik_warnings": warnings,
        "birth_date": birth,
        "gender": gender,
        "address": f"Jl. Desa {rng.randint(1, 40)} RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 9):02d}",
        "regency": regency,
        "kecamatan": kecamatan,
        "domicile_in_batang": in_batang,
        "education_level": education,
        "major": "" if education == "smp" else rng.choice(MAJORS),
        "school": rng.choice(SCHOOLS),
        "graduation_year": (graduated := min(today.year, birth.year + rng.randint(17, 23))),
        # Derived, not drawn, so the demo's random sequence stays as it was: two in three
        # say their years of work since school (K3 programmes ask for a minimum).
        "work_experience_years": min(today.year - graduated, 12) if i % 3 else None,
        "current_activity": rng.choice(ACTIVITY),
        "disability": "Tunadaksa ringan" if rng.random() < 0.02 else "",
    }
    return user, profile


# What a demo profile sets: what the person fills in, and what the services derive.
PROFILE_FIELDS = [*services.PROFILE_FIELDS, "nik_warnings", "domicile_in_batang", "consent_at"]


def seed(rng: random.Random, scale: int = 1) -> dict[str, int]:
    """Upsert PER_SCALE × scale job seekers (plus the demo login); return row counts."""
    today = datetime.date(timezone.localdate().year, 1, 1)
    consent_at = timezone.make_aware(datetime.datetime(today.year - 1, 12, 1, 9, 0))
    password = _password_hash()
    people = [_person(i, rng, today) for i in range(1, PER_SCALE * scale + 1)]
    # The demo login: person 0, complete, living in Kandeman.
    demo_user = {"email": DEMO_EMAIL, "full_name": "Siti Aminah", "phone": "+6281234567890"}
    demo_profile = dict(
        people[0][1],
        nik="3325135705020002",
        nik_warnings=[],
        birth_date=datetime.date(2002, 5, 17),
        gender="female",
        regency=BATANG,
        kecamatan=Kecamatan.KANDEMAN.value,
        domicile_in_batang=True,
        education_level="smk",
        major="Teknik Elektronika",
        school="SMK Negeri 1 Batang",
        graduation_year=2020,
        work_experience_years=3,
        current_activity="looking_for_work",
    )
    people.insert(0, (demo_user, demo_profile))

    emails = [u["email"] for u, _ in people]
    if Trainee.objects.filter(user__email__in=emails).count() == len(people):
        # Already seeded (the rows are deterministic): skip the 2 × N-row upsert, so a
        # benchmark re-run starts in seconds.
        return {"job seekers": len(people), "demo documents": 0}
    users = [
        User(
            email=u["email"],
            full_name=u["full_name"],
            phone=u["phone"],
            password=password,
            role=User.Role.JOB_SEEKER,
            language="id",
            date_joined=consent_at,
        )
        for u, _ in people
    ]
    User.objects.bulk_create(
        users,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["email"],
        update_fields=["full_name", "phone", "password", "role"],
    )
    ids = dict(
        User.objects.filter(email__in=[u["email"] for u, _ in people]).values_list("email", "pk")
    )
    trainees = [Trainee(user_id=ids[u["email"]], consent_at=consent_at, **p) for u, p in people]
    Trainee.objects.bulk_create(
        trainees,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=PROFILE_FIELDS,
    )
    demo = Trainee.objects.get(user__email=DEMO_EMAIL)
    documents = 0
    pdf = _demo_pdf()
    for kind in ("ktp", "ijazah"):
        if not Document.objects.filter(trainee=demo, kind=kind).exists():
            document = Document(
                trainee=demo,
                kind=kind,
                content_type="application/pdf",
                size=len(pdf),
                original_name=f"{kind}.pdf",
            )
            document.file.save("demo.pdf", ContentFile(pdf), save=True)
            documents += 1
    return {"job seekers": len(people), "demo documents": documents}
