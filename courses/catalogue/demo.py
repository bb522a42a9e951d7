"""Demo data of the courses app, called by `manage.py seed_demo` (core).

`seed(rng, scale)` upserts the 13 tracks of the Smart Training Center, 2–4 programs per
track with plausible SKKNI units, and 3–5 cohorts per program placed around today
(finished, in training, open now or just closed, upcoming). `scale` N adds N-1 variants
of every program (evening class, weekend class, ...), each with its own cohorts, so
programs and cohorts grow N-fold. Everything is upserted in bulk on natural keys
(track slug, program slug, unit program+code, cohort code): running it again updates the
same rows, and on another day moves the demo dates to stay around that day.

The programs themselves are data, in demo_programs.json. Other apps seed theirs in their
own `demo.py` (trainees before courses, placements after; see
core/management/commands/seed_demo.py).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import pathlib
import random
from dataclasses import dataclass, field

from django.utils import timezone

from core.choices import DocumentKind, EducationLevel
from courses.catalogue.services import catalogue_public_cache_bump
from courses.models import Cohort, CompetencyUnit, Program, Track


@dataclass
class ProgramSpec:
    code: str
    slug: str
    title: str
    summary: str
    days: int
    jp: int
    units: list[tuple[str, str]]
    kkni: int | None = None
    scheme: str = ""
    ages: tuple[int | None, int | None] = (17, 35)
    education: str = EducationLevel.SMA.value
    extra: str = ""
    documents: list[str] = field(
        default_factory=lambda: [
            DocumentKind.KTP.value,
            DocumentKind.IJAZAH.value,
            DocumentKind.KK.value,
            DocumentKind.PHOTO.value,
        ]
    )
    published: bool = True


@dataclass
class TrackSpec:
    slug: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    workshop: str
    programs: list[ProgramSpec]


DATA = pathlib.Path(__file__).with_name("demo_programs.json")


def _program(row: dict) -> ProgramSpec:
    row = {**row, "units": [tuple(unit) for unit in row["units"]]}
    if "ages" in row:
        row["ages"] = tuple(row["ages"])
    return ProgramSpec(**row)


def _tracks() -> list[TrackSpec]:
    """The demo's tracks and programs, read from demo_programs.json (data, not code)."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    return [
        TrackSpec(**{**row, "programs": [_program(p) for p in row["programs"]]}) for row in rows
    ]


TRACKS = _tracks()

VARIANTS = [
    ("kelas-sore", "Kelas Sore", "Senin–Jumat, 15.00–21.00 WIB"),
    ("akhir-pekan", "Kelas Akhir Pekan", "Sabtu–Minggu, 08.00–16.00 WIB"),
    ("kemitraan-industri", "Kemitraan Industri KITB", "Senin–Jumat, 07.30–15.30 WIB"),
    ("mtu", "Mobile Training Unit", "Senin–Jumat, 08.00–15.00 WIB, di balai desa"),
    ("inklusif", "Kelas Inklusif", "Senin–Jumat, 08.00–15.00 WIB"),
    ("perempuan", "Kelas Perempuan", "Senin–Jumat, 08.00–15.00 WIB"),
]
DAY_SCHEDULE = "Senin–Jumat, 08.00–16.00 WIB"
WIB = datetime.timezone(datetime.timedelta(hours=7))


def _variants(spec: ProgramSpec, scale: int):
    """(code, slug, title, schedule) of the program and its scale-1 variants."""
    yield spec.code, spec.slug, spec.title, DAY_SCHEDULE
    for n in range(2, scale + 1):
        slug_part, label, schedule = VARIANTS[(n - 2) % len(VARIANTS)]
        round_ = (n - 2) // len(VARIANTS)
        suffix = f" {round_ + 1}" if round_ else ""
        yield (
            f"{spec.code}{n}",
            f"{spec.slug}-{slug_part}{'-' + str(round_ + 1) if round_ else ''}",
            f"{spec.title} — {label}{suffix}",
            schedule,
        )


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=-day.weekday() % 7)


def _monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


def _cohort_plan(rng: random.Random, training_days: int, today: datetime.date):
    """Dates of 3–5 intakes around `today`: (start, end, opens, closes, reregistration).

    In order: one finished, one in training, one open now (or, for some programs, just
    closed with selection under way), one or two upcoming.
    """
    days = datetime.timedelta
    weeks = -(-training_days // 5)
    length = days(weeks * 7 - 3)  # Monday of the first week to Friday of the last
    window = [14, 21, 28]
    intakes = []  # (start, closes_day, opens_day)

    start = _monday_on_or_after(today - days(rng.randint(150, 220)))
    intakes.append((start, start - days(10), start - days(10 + rng.choice(window))))

    start = _monday_on_or_before(today - days(rng.randint(0, max(0, length.days - 7))))
    intakes.append((start, start - days(10), start - days(10 + rng.choice(window))))

    if rng.random() < 0.7:  # registration open now, for a few more days
        start = _monday_on_or_after(today + days(rng.randint(18, 35)))
        intakes.append((start, start - days(10), today - days(rng.randint(2, 10))))
    else:  # registration closed a day or three ago, selection under way
        start = _monday_on_or_after(today + days(rng.randint(5, 12)))
        closes_day = today - days(rng.randint(1, 3))
        intakes.append((start, closes_day, closes_day - days(rng.choice(window))))

    upcoming = [(60, 90)] + ([(120, 160)] if rng.random() < 0.5 else [])
    for low, high in upcoming:
        start = _monday_on_or_after(today + days(rng.randint(low, high)))
        intakes.append((start, start - days(10), start - days(10 + rng.choice(window))))

    return [
        (start, start + length, _at(opens, 8), _at(closes, 16), _at(closes + days(5), 15))
        for start, closes, opens in intakes
    ]


def seed(rng: random.Random, scale: int = 1) -> dict[str, int]:
    """Upsert the demo catalogue; return the number of rows of each kind it wrote."""
    today = timezone.localdate()
    year = today.year
    # One generator per program, so a program's intakes do not depend on --scale.
    salt = rng.getrandbits(32)
    tracks = [
        Track(
            slug=t.slug,
            name_id=t.name_id,
            name_en=t.name_en,
            description_id=t.description_id,
            description_en=t.description_en,
            position=(i + 1) * 10,
        )
        for i, t in enumerate(TRACKS)
    ]
    Track.objects.bulk_create(
        tracks,
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=["name_id", "name_en", "description_id", "description_en", "position"],
    )
    track_ids = dict(Track.objects.values_list("slug", "pk"))

    programs, unit_rows, cohort_rows = [], [], []
    for t in TRACKS:
        for spec in t.programs:
            for code, slug, title, schedule in _variants(spec, scale):
                programs.append(
                    Program(
                        track_id=track_ids[t.slug],
                        code=code,
                        slug=slug,
                        title=title,
                        summary=spec.summary,
                        description=(
                            f"{spec.summary} Pelatihan ini gratis, berbasis kompetensi "
                            "dan diakhiri uji kompetensi oleh LSP berlisensi BNSP.\n\n"
                            "Peserta yang lulus mendapat sertifikat pelatihan dan dibantu "
                            "penempatan kerja ke perusahaan di kawasan industri Batang."
                        ),
                        kkni_level=spec.kkni,
                        certification_scheme=spec.scheme,
                        duration_days=spec.days,
                        lesson_hours=spec.jp,
                        min_age=spec.ages[0],
                        max_age=spec.ages[1],
                        min_education=spec.education,
                        extra_requirements=spec.extra,
                        required_documents=spec.documents,
                        is_published=spec.published,
                    )
                )
                for position, (unit_code, unit_title) in enumerate(spec.units, start=1):
                    unit_rows.append((slug, unit_code, unit_title, position))
                program_rng = random.Random(f"{salt}:{slug}")
                capacity = program_rng.choice([16, 16, 16, 20, 24])
                written = program_rng.random() < 0.8
                plan = _cohort_plan(program_rng, spec.days, today)
                for number, (start, end, opens, closes, rereg) in enumerate(plan, start=1):
                    cohort_rows.append(
                        {
                            "slug": slug,
                            "code": f"{code}-{year}-{number:02d}",
                            "training_start": start,
                            "training_end": end,
                            "registration_opens_at": opens,
                            "registration_closes_at": closes,
                            "reregistration_deadline": rereg,
                            "capacity": capacity,
                            "location": f"{t.workshop}, STC Batang, Kandeman",
                            "schedule": schedule,
                            "uses_document_check": True,
                            "uses_written_test": written,
                            "uses_interview": True,
                            # now and then a far intake is called off, to show the state
                            "is_cancelled": number == 5 and program_rng.random() < 0.2,
                            # the public tie-break seed, the same on every machine
                            "selection_seed": hashlib.sha256(
                                f"demo-seed:{code}-{year}-{number:02d}".encode()
                            ).hexdigest()[:16],
                        }
                    )
    Program.objects.bulk_create(
        programs,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=[
            "track",
            "code",
            "title",
            "summary",
            "description",
            "kkni_level",
            "certification_scheme",
            "duration_days",
            "lesson_hours",
            "min_age",
            "max_age",
            "min_education",
            "extra_requirements",
            "required_documents",
            "is_published",
            "updated_at",
        ],
    )
    program_ids = dict(
        Program.objects.filter(slug__in=[p.slug for p in programs]).values_list("slug", "pk")
    )
    CompetencyUnit.objects.bulk_create(
        [
            CompetencyUnit(program_id=program_ids[slug], code=code, title=title, position=pos)
            for slug, code, title, pos in unit_rows
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["program", "code"],
        update_fields=["title", "position"],
    )
    Cohort.objects.bulk_create(
        [Cohort(program_id=program_ids[row.pop("slug")], **row) for row in cohort_rows],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "program",
            "training_start",
            "training_end",
            "registration_opens_at",
            "registration_closes_at",
            "reregistration_deadline",
            "capacity",
            "location",
            "schedule",
            "uses_document_check",
            "uses_written_test",
            "uses_interview",
            "is_cancelled",
            "updated_at",
        ],
    )
    catalogue_public_cache_bump()

    return {
        "tracks": len(tracks),
        "programs": len(programs),
        "competency units": len(unit_rows),
        "cohorts": len(cohort_rows),
    }
