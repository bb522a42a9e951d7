"""Demo data of the placements app, called by `manage.py seed_demo` (core).

`seed(rng, scale)` upserts employers like the tenants of the Batang industrial zones
(glass, footwear, solar panels, EV batteries, food, ...) with one login each, about 125
vacancies per unit of `scale` (5,000 at the benchmark's scale 40) in every state, and
job applications of some of the trainees app's demo job seekers (40 per unit of scale)
along the whole pipeline, with their placements.

Idempotent: rows are upserted in bulk on natural keys (employer NIB, account e-mail,
vacancy employer + reference, application vacancy + person, placement application), and
deadlines are placed around today on every run. Demo employer logins share one password
(hashed once), printed by `make run`'s helper: `hrd@<company>.demo.stc-batang.id`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from core.cache import public_cache_bump
from courses.models import CredentialScheme, Program, Track
from trainees.models import Trainee

from .demand import demo as demand_demo
from .models import (
    Employer,
    EmployerMember,
    JobApplication,
    JobApplicationEvent,
    JobSeekerPreference,
    Placement,
    SystemReason,
    Vacancy,
    VacancyEvent,
)
from .services.vacancies import VACANCY_FIELDS

DEMO_PASSWORD = "demo-perusahaan-batang"  # noqa: S105 - demo logins, printed on purpose
VACANCIES_PER_SCALE = 125
SEEKERS_PER_SCALE = 40
EMPLOYERS_PER_SCALE = 4


@dataclass(frozen=True)
class CompanySpec:
    slug: str
    name: str
    sector: str
    zone: str
    address: str
    jobs: tuple[tuple[str, tuple[str, ...], str], ...]  # (title, track slugs, education)


COMPANIES: list[CompanySpec] = [
    CompanySpec(
        "kaca-nusantara",
        "PT Kaca Nusantara Batang",
        "glass",
        "kitb",
        "KITB Zona A, Desa Ketanggan, Gringsing",
        (
            ("Operator Furnace Kaca", ("manufaktur", "otomasi-mekatronika"), "sma"),
            ("Operator Cutting Kaca Lembaran", ("manufaktur",), "smk"),
            ("Teknisi Listrik Pabrik", ("elektronika", "smart-building"), "smk"),
            ("Quality Control Kaca", ("manufaktur",), "smk"),
            ("Operator Forklift Gudang", ("manufaktur",), "sma"),
        ),
    ),
    CompanySpec(
        "sepatu-sejahtera",
        "PT Sepatu Sejahtera Gringsing",
        "footwear",
        "kitb",
        "KITB Zona B, Gringsing",
        (
            ("Operator Jahit Upper Sepatu", ("garmen-fashion",), "smp"),
            ("Operator Cementing dan Assembling", ("garmen-fashion", "manufaktur"), "smp"),
            ("Admin Produksi", ("multimedia-ti",), "sma"),
            ("Mekanik Mesin Jahit", ("garmen-fashion", "otomasi-mekatronika"), "smk"),
        ),
    ),
    CompanySpec(
        "surya-panel",
        "PT Surya Panel Indonesia",
        "energy",
        "kitb",
        "KITB Zona C, Gringsing",
        (
            ("Operator Laminasi Panel Surya", ("energi-terbarukan", "manufaktur"), "smk"),
            ("Teknisi Instalasi PLTS Atap", ("energi-terbarukan", "elektronika"), "smk"),
            ("Operator Uji Kelistrikan Modul", ("elektronika",), "smk"),
        ),
    ),
    CompanySpec(
        "baterai-listrik",
        "PT Baterai Listrik Batang",
        "automotive",
        "kitb",
        "KITB Zona D, Gringsing",
        (
            ("Operator Perakitan Sel Baterai", ("otomotif-kendaraan-listrik",), "smk"),
            ("Teknisi Battery Pack EV", ("otomotif-kendaraan-listrik", "elektronika"), "smk"),
            ("Operator Robot Las", ("otomasi-mekatronika",), "smk"),
            ("Analis Data Produksi", ("artificial-intelligence", "multimedia-ti"), "d3"),
        ),
    ),
    CompanySpec(
        "pangan-sehat",
        "PT Pangan Sehat Batang",
        "food",
        "bip",
        "Batang Industrial Park, Kandeman",
        (
            ("Operator Produksi Makanan", ("healthy-food-beverage",), "sma"),
            ("Staf Quality Control Pangan", ("healthy-food-beverage",), "smk"),
            ("Operator Mesin Pengemas", ("manufaktur", "healthy-food-beverage"), "sma"),
        ),
    ),
    CompanySpec(
        "keramik-pantura",
        "PT Keramik Pantura",
        "glass",
        "bip",
        "Batang Industrial Park, Kandeman",
        (
            ("Operator Kiln Keramik", ("manufaktur",), "sma"),
            ("Teknisi Perawatan Mesin", ("otomasi-mekatronika",), "smk"),
        ),
    ),
    CompanySpec(
        "mebel-jati",
        "CV Mebel Jati Batang",
        "wood",
        "batang",
        "Jl. Raya Subah KM 3, Subah",
        (
            ("Tukang Kayu Produksi Mebel", ("woodworking",), "smp"),
            ("Operator Mesin CNC Router", ("woodworking", "otomasi-mekatronika"), "smk"),
        ),
    ),
    CompanySpec(
        "logistik-kendal",
        "PT Logistik Pantura Kendal",
        "logistics",
        "outside",
        "Kawasan Industri Kendal, Kaliwungu, Kendal",
        (
            ("Staf Gudang dan Inventori", ("manufaktur",), "sma"),
            ("Admin Ekspor-Impor", ("bahasa", "multimedia-ti"), "d3"),
        ),
    ),
]
GENERIC_JOBS = (
    ("Operator Produksi", ("manufaktur",), "sma"),
    ("Teknisi Elektronika", ("elektronika",), "smk"),
    ("Operator Mesin", ("otomasi-mekatronika", "manufaktur"), "smk"),
    ("Staf Administrasi", ("multimedia-ti",), "sma"),
    ("Penjahit Produksi", ("garmen-fashion",), "smp"),
    ("Teknisi Bangunan Gedung", ("smart-building",), "smk"),
    ("Juru Masak Kantin Pabrik", ("healthy-food-beverage",), "sma"),
    ("Penerjemah Bahasa Korea/Jepang", ("bahasa",), "d3"),
)
GENERIC_SECTORS = ("metal", "chemicals", "electronics", "footwear", "food", "logistics")
GENERIC_ZONES = ("kitb", "kitb", "bip", "batang", "outside")
FIRST_NAMES = (
    "Ahmad", "Siti", "Budi", "Dewi", "Rizky", "Nur", "Agus", "Fitri", "Eko", "Wulan",
    "Dimas", "Ayu", "Fajar", "Lestari", "Bayu", "Putri", "Hendra", "Rina", "Yoga", "Indah",
)  # fmt: skip
LAST_NAMES = (
    "Saputra", "Rahmawati", "Santoso", "Lestari", "Pratama", "Hidayah", "Nugroho",
    "Kurniawan", "Wibowo", "Handayani", "Setiawan", "Maulana", "Susanti", "Firmansyah",
)  # fmt: skip
DESCRIPTION = (
    "Tugas utama:\n"
    "- {title} sesuai standar operasional perusahaan\n"
    "- Menjaga kebersihan area kerja dan menerapkan K3\n"
    "- Mencatat hasil kerja harian\n\n"
    "Kami menawarkan: BPJS Ketenagakerjaan dan Kesehatan, uang makan, antar-jemput dari "
    "beberapa titik di Kabupaten Batang, pelatihan di tempat kerja.\n"
    "Kerja shift, 40 jam per minggu."
)
S = JobApplication.Status
V = Vacancy.Status


def _companies(scale: int) -> list[CompanySpec]:
    companies = list(COMPANIES)
    for n in range(1, EMPLOYERS_PER_SCALE * scale + 1):
        companies.append(
            CompanySpec(
                f"mitra-industri-{n:03d}",
                f"PT Mitra Industri Batang {n:03d}",
                GENERIC_SECTORS[n % len(GENERIC_SECTORS)],
                GENERIC_ZONES[n % len(GENERIC_ZONES)],
                f"Kavling {n:03d}, {'KITB, Gringsing' if n % 5 < 2 else 'Batang'}",
                GENERIC_JOBS,
            )
        )
    return companies


def _nib(index: int) -> str:
    return f"91202600{index:05d}"


def _k3(companies) -> None:
    """The first company names its K3 contact, and its forklift jobs need the SIO the
    ministry issues on its application (so a hire there asks for the licence number).
    No random draws: the demo's sequence stays as it was."""
    Employer.objects.filter(nib=_nib(0)).update(
        k3_contact_name="Rina Wulandari (Ahli K3 Umum)",
        k3_contact_phone="+6281390001001",
        k3_contact_email=f"k3@{companies[0].slug}.demo.stc-batang.id",
    )
    sio = CredentialScheme.objects.filter(code="sio-forklift-2").first()
    if sio is not None:
        Vacancy.objects.filter(employer__nib=_nib(0), title__icontains="forklift").update(
            licence_scheme=sio
        )


def seed(rng: random.Random, scale: int = 1) -> dict[str, int]:
    """Upsert the demo employers, vacancies and job applications; return row counts."""
    today = timezone.localdate()
    now = timezone.now()
    # A fixed salt keeps the hash, and so the seeded rows, the same on every run.
    password = make_password(DEMO_PASSWORD, salt="placementsdemo2026")
    companies = _companies(scale)

    # --- Employers and their logins ---------------------------------------------------
    Employer.objects.bulk_create(
        [
            Employer(
                name=c.name,
                nib=_nib(i),
                sector=c.sector,
                zone=c.zone,
                address=c.address,
                contact_person=f"{FIRST_NAMES[i % 20]} {LAST_NAMES[i % 14]}",
                phone=f"+62285{391000 + i}",
                email=f"hrd@{c.slug}.demo.stc-batang.id",
                # two unverified companies show the staff's verification queue
                verified_at=None if i in (5, 7) else now - datetime.timedelta(days=60),
            )
            for i, c in enumerate(companies)
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["nib"],
        update_fields=["name", "sector", "zone", "address", "contact_person", "phone", "email"],
    )
    employers = {e.nib: e for e in Employer.objects.filter(nib__startswith="91202600")}
    User.objects.bulk_create(
        [
            User(
                email=f"hrd@{c.slug}.demo.stc-batang.id",
                full_name=f"HRD {c.name}",
                role=User.Role.EMPLOYER,
                password=password,
            )
            for c in companies
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["email"],
        update_fields=["full_name", "role", "password"],
    )
    logins = dict(
        User.objects.filter(
            email__endswith=".demo.stc-batang.id", role=User.Role.EMPLOYER
        ).values_list("email", "pk")
    )
    EmployerMember.objects.bulk_create(
        [
            EmployerMember(
                user_id=logins[f"hrd@{c.slug}.demo.stc-batang.id"], employer=employers[_nib(i)]
            )
            for i, c in enumerate(companies)
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["employer"],
    )

    # --- Vacancies --------------------------------------------------------------------
    tracks = dict(Track.objects.values_list("slug", "pk"))
    programs_by_track: dict[int, list[int]] = {}
    for pk, track_id in Program.objects.filter(is_published=True).values_list("pk", "track_id"):
        programs_by_track.setdefault(track_id, []).append(pk)
    total = VACANCIES_PER_SCALE * scale
    vacancy_rows, track_links = [], []
    for n in range(total):
        index = n % len(companies) if n < len(companies) * 3 else rng.randrange(len(companies))
        company = companies[index]
        title, track_slugs, education = company.jobs[n % len(company.jobs)]
        roll = rng.random()
        # 80 % open, then closed, waiting for review, drafts and rejected ones.
        status = (
            V.PUBLISHED
            if roll < 0.80
            else V.CLOSED
            if roll < 0.88
            else V.SUBMITTED
            if roll < 0.93
            else V.DRAFT
            if roll < 0.97
            else V.REJECTED
        )
        employer = employers[_nib(index)]
        if not employer.is_verified and status in (V.PUBLISHED, V.CLOSED):
            status = V.SUBMITTED
        published = now - datetime.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 23))
        deadline = today + datetime.timedelta(days=rng.randint(3, 45))
        if status == V.CLOSED:
            deadline = today - datetime.timedelta(days=rng.randint(1, 30))
        low = rng.choice([None, 2_500_000, 2_708_520, 2_800_000, 3_000_000, 3_400_000])
        track_ids = [tracks[s] for s in track_slugs if s in tracks]
        required = None
        if track_ids and rng.random() < 0.05 and programs_by_track.get(track_ids[0]):
            required = rng.choice(programs_by_track[track_ids[0]])
        vacancy_rows.append(
            Vacancy(
                employer=employer,
                reference=f"DEMO-{n:05d}",
                title=title,
                description=DESCRIPTION.format(title=title),
                min_education=education,
                required_program_id=required,
                openings=rng.choice([1, 2, 3, 5, 10, 20]),
                employment_type=rng.choice(["pkwt", "pkwt", "pkwtt", "magang"]),
                salary_min=low,
                salary_max=(low + rng.choice([0, 300_000, 700_000])) if low else None,
                work_location=company.address,
                zone=company.zone,
                deadline=deadline,
                status=status,
                rejection_reason=(
                    "Lokasi kerja dan gaji belum jelas; mohon dilengkapi."
                    if status == V.REJECTED
                    else ""
                ),
                submitted_at=None if status == V.DRAFT else published - datetime.timedelta(days=2),
                published_at=published if status in (V.PUBLISHED, V.CLOSED) else None,
                closed_at=now - datetime.timedelta(days=1) if status == V.CLOSED else None,
            )
        )
        track_links.append((n, track_ids))
    Vacancy.objects.bulk_create(
        vacancy_rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["employer", "reference"],
        update_fields=[
            *(f for f in VACANCY_FIELDS if f != "reference"),  # the conflict key
            "status",
            "rejection_reason",
            "submitted_at",
            "published_at",
            "closed_at",
        ],
    )
    vacancy_ids = dict(
        Vacancy.objects.filter(
            reference__startswith="DEMO-", employer__nib__startswith="91202600"
        ).values_list("reference", "pk")
    )
    Through = Vacancy.tracks.through
    Through.objects.bulk_create(
        [
            Through(vacancy_id=vacancy_ids[f"DEMO-{n:05d}"], track_id=track_id)
            for n, ids in track_links
            for track_id in ids
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    demo_vacancies = list(
        Vacancy.objects.filter(pk__in=vacancy_ids.values()).values("pk", "status", "created_at")
    )
    with_history = set(
        VacancyEvent.objects.filter(vacancy_id__in=vacancy_ids.values())
        .values_list("vacancy_id", flat=True)
        .distinct()
    )
    VacancyEvent.objects.bulk_create(
        [
            VacancyEvent(vacancy_id=v["pk"], to_status=v["status"], created_at=v["created_at"])
            for v in demo_vacancies
            if v["pk"] not in with_history
        ],
        batch_size=2000,
    )

    # --- Job seekers, applications, placements ---------------------------------------
    seekers = _demo_seekers(SEEKERS_PER_SCALE * scale)
    open_ids = [v["pk"] for v in demo_vacancies if v["status"] == V.PUBLISHED]
    closed_ids = [v["pk"] for v in demo_vacancies if v["status"] == V.CLOSED]
    app_rows = []
    for user_id, snapshot in seekers:
        for vacancy_id in rng.sample(open_ids, k=min(len(open_ids), rng.randint(0, 4))):
            app_rows.append(_application(rng, vacancy_id, user_id, snapshot, now, closed=False))
        if closed_ids and rng.random() < 0.3:
            app_rows.append(
                _application(rng, rng.choice(closed_ids), user_id, snapshot, now, closed=True)
            )
    JobApplication.objects.bulk_create(
        app_rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["vacancy", "person"],
        update_fields=[
            "status",
            "status_changed_at",
            "first_response_at",
            "interview_at",
            "interview_place",
            "not_selected_reason",
            "not_selected_code",
            "snapshot",
            "created_at",
        ],
    )
    seeker_ids = [user_id for user_id, _snapshot in seekers]
    applications = list(
        JobApplication.objects.filter(person_id__in=seeker_ids).select_related("vacancy")
    )
    with_events = set(
        JobApplicationEvent.objects.filter(job_application__in=applications)
        .values_list("job_application_id", flat=True)
        .distinct()
    )
    events = []
    for a in applications:
        if a.pk in with_events:
            continue
        events.append(
            JobApplicationEvent(
                job_application=a,
                to_status=S.APPLIED,
                actor_id=a.person_id,
                created_at=a.created_at,
            )
        )
        if a.status != S.APPLIED:
            events.append(
                JobApplicationEvent(
                    job_application=a,
                    from_status=S.APPLIED,
                    to_status=a.status,
                    category=(
                        JobApplicationEvent.Category.VACANCY_CLOSED
                        if a.not_selected_code
                        else JobApplicationEvent.Category.STATUS
                    ),
                    reason=a.not_selected_reason,
                    created_at=a.status_changed_at,
                )
            )
    JobApplicationEvent.objects.bulk_create(events, batch_size=2000)
    Placement.objects.bulk_create(
        [
            Placement(
                employer_id=a.vacancy.employer_id,
                person_id=a.person_id,
                vacancy_id=a.vacancy_id,
                job_application=a,
                start_date=today + datetime.timedelta(days=7),
                salary=a.vacancy.salary_min,
                source=Placement.Source.PORTAL,
            )
            for a in applications
            if a.status == S.HIRED
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["job_application"],
        update_fields=["start_date", "salary"],
    )
    _k3(companies)
    public_cache_bump("vacancies")
    demand = demand_demo.seed(random.Random("placements.demand"), today=today)
    return {
        **demand,
        "employers": len(companies),
        "vacancies": Vacancy.objects.filter(pk__in=vacancy_ids.values()).count(),
        "open vacancies": len(open_ids),
        "job seekers": len(seekers),
        "job applications": len(applications),
        "placements": Placement.objects.filter(job_application__person_id__in=seeker_ids).aggregate(
            n=Count("pk")
        )["n"],
    }


def _demo_seekers(count: int) -> list[tuple[int, dict]]:
    """The trainees app's demo job seekers who apply for jobs: (user id, profile snapshot).

    The first `count` of them in e-mail order (deterministic); none when the trainees
    demo did not run. Some opt in to job alerts and to being findable.
    """
    trainees = list(
        Trainee.objects.filter(
            user__email__endswith="@demo.stc-batang.id", user__role=User.Role.JOB_SEEKER
        )
        .exclude(education_level="")
        .select_related("user")
        .order_by("user__email")[:count]
    )
    JobSeekerPreference.objects.bulk_create(
        [
            JobSeekerPreference(user_id=t.user_id, job_alerts=n % 3 == 0, discoverable=n % 4 == 0)
            for n, t in enumerate(trainees)
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["job_alerts", "discoverable"],
    )
    return [
        (
            t.user_id,
            {
                "full_name": t.user.full_name,
                "email": t.user.email,
                "phone": t.user.phone or "",
                "profile": {
                    "education_level": t.education_level,
                    "major": t.major,
                    "school": t.school,
                    "graduation_year": t.graduation_year,
                    "regency": t.regency,
                    "kecamatan": t.kecamatan,
                    "domicile_in_batang": t.domicile_in_batang,
                    "current_activity": t.current_activity,
                },
                "certificates": [],
                "training": [],
            },
        )
        for t in trainees
    ]


def _application(rng, vacancy_id, user_id, snapshot, now, *, closed):
    created = now - datetime.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 23))
    if closed:
        status, code = S.NOT_SELECTED, SystemReason.VACANCY_CLOSED
    else:
        status = rng.choices(
            [S.APPLIED, S.SHORTLISTED, S.INTERVIEW, S.OFFERED, S.HIRED, S.NOT_SELECTED],
            weights=[45, 15, 12, 5, 5, 18],
        )[0]
        code = ""
    answered = status != S.APPLIED and not closed
    first = created + datetime.timedelta(days=rng.randint(1, 10)) if answered else None
    changed = first or (now - datetime.timedelta(days=1) if closed else created)
    return JobApplication(
        vacancy_id=vacancy_id,
        person_id=user_id,
        cover_note="Saya lulusan pelatihan STC Batang dan siap bekerja shift.",
        snapshot=snapshot,
        status=status,
        status_changed_at=min(changed, now),
        first_response_at=min(first, now) if first else None,
        interview_at=now + datetime.timedelta(days=rng.randint(1, 10))
        if status == S.INTERVIEW
        else None,
        interview_place="Kantor HRD, lantai 2" if status == S.INTERVIEW else "",
        not_selected_reason=(
            "Kami memilih pelamar dengan pengalaman kerja shift."
            if status == S.NOT_SELECTED and not closed
            else ""
        ),
        not_selected_code=code,
        created_at=created,
    )
