"""Every eligibility rule, with its message in Indonesian and in English."""

import datetime

import pytest
from django.utils import timezone, translation

from courses.admissions import eligibility as rules
from courses.admissions.selectors import application_eligibility
from courses.models import ApplicationStatus
from trainees.models import Document
from trainees.tests.factories import DocumentFactory

from .factories import ApplicationFactory, CohortFactory, CredentialSchemeFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def evaluate(trainee, cohort, language="id"):
    with translation.override(language):
        return application_eligibility(trainee=trainee, cohort=cohort)


def message(trainee, cohort, code, language="id"):
    result = evaluate(trainee, cohort, language).result(code)
    assert result is not None, f"rule {code} not evaluated"
    assert not result.ok
    return result.message


def born_years_before(day: datetime.date, years: int, days_after=0) -> datetime.date:
    return day.replace(year=day.year - years) + datetime.timedelta(days=days_after)


def test_eligible_trainee_meets_every_rule(eligible_trainee):
    scheme = CredentialSchemeFactory(min_experience_years=1)
    cohort = CohortFactory(program=ProgramFactory(min_education="sma", credential_scheme=scheme))
    eligible_trainee.work_experience_years = 2
    result = evaluate(eligible_trainee, cohort)
    assert result.eligible, [r.message for r in result.failures]
    assert [r.code for r in result.results] == list(rules.RULE_ORDER)


def k3_cohort(**scheme):
    """An intake of a K3 programme preparing for a scheme with its own eligibility."""
    scheme = CredentialSchemeFactory(name="Ahli K3 Umum", **scheme)
    return CohortFactory(
        program=ProgramFactory(
            credential_scheme=scheme, required_documents=["ktp", "ijazah", "fitness", "experience"]
        )
    )


def test_k3_scheme_asks_for_years_of_work_experience(eligible_trainee):
    cohort = k3_cohort(min_experience_years=2)
    eligible_trainee.work_experience_years = 1
    assert message(eligible_trainee, cohort, rules.EXPERIENCE) == (
        "Skema Ahli K3 Umum mensyaratkan pengalaman kerja minimal 2 tahun; profil Anda "
        "menyebut 1 tahun."
    )
    assert message(eligible_trainee, cohort, rules.EXPERIENCE, "en") == (
        "The Ahli K3 Umum scheme asks for at least 2 years of work experience; your profile says 1."
    )
    result = evaluate(eligible_trainee, cohort).result(rules.EXPERIENCE)
    assert result.fix_url.endswith("#id_work_experience_years")
    eligible_trainee.work_experience_years = 2
    assert evaluate(eligible_trainee, cohort).result(rules.EXPERIENCE).ok


def test_k3_experience_not_filled_in_points_to_the_profile(eligible_trainee):
    cohort = k3_cohort(min_experience_years=2)
    eligible_trainee.work_experience_years = None
    assert "Isi lama pengalaman kerja Anda" in message(eligible_trainee, cohort, rules.EXPERIENCE)
    assert "Fill in your years of work experience" in message(
        eligible_trainee, cohort, rules.EXPERIENCE, "en"
    )


def test_a_programme_without_a_scheme_has_no_experience_rule(eligible_trainee):
    assert evaluate(eligible_trainee, CohortFactory()).result(rules.EXPERIENCE) is None


def test_the_schemes_minimum_education_is_stricter_than_the_programmes(eligible_trainee):
    cohort = k3_cohort(min_education="d3")
    cohort.program.min_education = "sma"
    eligible_trainee.education_level = "smk"
    assert message(eligible_trainee, cohort, rules.EDUCATION, "en") == (
        "Your education is Vocational high school (SMK); this program asks for at least "
        "Diploma 3 (D3)."
    )
    eligible_trainee.education_level = "d3"
    assert evaluate(eligible_trainee, cohort).result(rules.EDUCATION).ok


def test_k3_programme_asks_for_the_fitness_and_experience_letters(eligible_trainee):
    cohort = k3_cohort()
    text = message(eligible_trainee, cohort, rules.DOCUMENTS)
    assert "Surat keterangan sehat" in text and "pengalaman kerja" in text
    english = message(eligible_trainee, cohort, rules.DOCUMENTS, "en")
    assert "Fitness letter" in english and "Work experience letter" in english
    assert (
        evaluate(eligible_trainee, cohort)
        .result(rules.DOCUMENTS)
        .fix_url.endswith("#document-fitness")
    )
    DocumentFactory(trainee=eligible_trainee, kind="fitness")
    DocumentFactory(trainee=eligible_trainee, kind="experience")
    assert evaluate(eligible_trainee, cohort).result(rules.DOCUMENTS).ok


def test_the_submitting_service_refuses_too_little_experience(eligible_trainee):
    from courses.admissions.services.applications import application_submit
    from courses.errors import ApplicationError

    cohort = k3_cohort(min_experience_years=3)
    DocumentFactory(trainee=eligible_trainee, kind="fitness")
    DocumentFactory(trainee=eligible_trainee, kind="experience")
    eligible_trainee.work_experience_years = 2
    eligible_trainee.save()
    with pytest.raises(ApplicationError) as refused:
        application_submit(trainee=eligible_trainee, cohort=cohort, motivation="Ingin jadi Ahli K3")
    assert refused.value.code == ApplicationError.NOT_ELIGIBLE
    assert [r.code for r in refused.value.eligibility.failures] == [rules.EXPERIENCE]
    eligible_trainee.work_experience_years = 3
    eligible_trainee.save()
    application = application_submit(
        trainee=eligible_trainee, cohort=cohort, motivation="Ingin jadi Ahli K3"
    )
    assert application.facts["work_experience_years"] == 3


def test_registration_not_open(eligible_trainee):
    cohort = CohortFactory(
        registration_opens_at=timezone.now() - datetime.timedelta(days=10),
        registration_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert "tidak dibuka" in message(eligible_trainee, cohort, rules.REGISTRATION_OPEN)
    assert "is not open" in message(eligible_trainee, cohort, rules.REGISTRATION_OPEN, "en")


def test_too_old_at_cohort_start(eligible_trainee):
    cohort = CohortFactory(program=ProgramFactory(min_age=17, max_age=35))
    # 36 on the first training day (birthday the day before).
    eligible_trainee.birth_date = born_years_before(cohort.training_start, 36, days_after=-1)
    assert message(eligible_trainee, cohort, rules.AGE) == (
        "Usia Anda 36 tahun saat pelatihan dimulai, batas 35 tahun."
    )
    assert message(eligible_trainee, cohort, rules.AGE, "en") == (
        "You are 36 when training starts; the limit is 35."
    )


def test_age_is_counted_at_cohort_start_not_today(eligible_trainee):
    cohort = CohortFactory(program=ProgramFactory(min_age=17, max_age=35))
    # Still 35 on the first training day: turns 36 the day after.
    eligible_trainee.birth_date = born_years_before(cohort.training_start, 36, days_after=1)
    assert evaluate(eligible_trainee, cohort).result(rules.AGE).ok


def test_too_young(eligible_trainee):
    cohort = CohortFactory(program=ProgramFactory(min_age=17, max_age=35))
    eligible_trainee.birth_date = born_years_before(cohort.training_start, 16)
    assert message(eligible_trainee, cohort, rules.AGE) == (
        "Usia Anda 16 tahun saat pelatihan dimulai, minimal 17 tahun."
    )
    assert message(eligible_trainee, cohort, rules.AGE, "en") == (
        "You are 16 when training starts; the minimum is 17."
    )


def test_age_without_birth_date(eligible_trainee):
    cohort = CohortFactory()
    eligible_trainee.birth_date = None
    assert "tanggal lahir" in message(eligible_trainee, cohort, rules.AGE)
    assert "birth date" in message(eligible_trainee, cohort, rules.AGE, "en")


def test_no_age_rule_when_the_program_has_no_limit(eligible_trainee):
    cohort = CohortFactory(program=ProgramFactory(min_age=None, max_age=None))
    assert evaluate(eligible_trainee, cohort).result(rules.AGE) is None


def test_education_below_minimum(eligible_trainee):
    cohort = CohortFactory(program=ProgramFactory(min_education="sma"))
    eligible_trainee.education_level = "smp"
    assert message(eligible_trainee, cohort, rules.EDUCATION) == (
        "Pendidikan Anda SMP/sederajat, sedangkan program ini mensyaratkan minimal SMA/MA."
    )
    assert message(eligible_trainee, cohort, rules.EDUCATION, "en") == (
        "Your education is Junior high school (SMP); this program asks for at least "
        "Senior high school (SMA/MA)."
    )


def test_smk_meets_an_sma_minimum(eligible_trainee):
    cohort = CohortFactory(program=ProgramFactory(min_education="sma"))
    eligible_trainee.education_level = "smk"
    assert evaluate(eligible_trainee, cohort).result(rules.EDUCATION).ok


def test_incomplete_profile_lists_what_is_missing(eligible_trainee):
    cohort = CohortFactory()
    eligible_trainee.school = ""
    eligible_trainee.consent_at = None
    text = message(eligible_trainee, cohort, rules.PROFILE)
    assert text.startswith("Lengkapi profil Anda:")
    assert "Sekolah atau kampus" in text and "Persetujuan" in text
    assert "School or campus" in message(eligible_trainee, cohort, rules.PROFILE, "en")


def test_missing_required_documents(eligible_trainee):
    cohort = CohortFactory(program=ProgramFactory(required_documents=["ktp", "ijazah", "kk"]))
    Document.objects.filter(trainee=eligible_trainee, kind="ijazah").delete()
    text = message(eligible_trainee, cohort, rules.DOCUMENTS)
    assert text.startswith("Unggah dokumen berikut:")
    assert "ijazah" in text.lower() and "KK" in text
    english = message(eligible_trainee, cohort, rules.DOCUMENTS, "en")
    assert english.startswith("Upload these documents:")


def test_overlapping_active_application(eligible_trainee):
    cohort = CohortFactory()
    other = ApplicationFactory(
        trainee=eligible_trainee,
        cohort=CohortFactory(
            registration_opens_at=timezone.now() - datetime.timedelta(days=60),
            registration_closes_at=timezone.now() - datetime.timedelta(days=40),
            training_start=cohort.training_start + datetime.timedelta(days=10),
        ),
    )
    text = message(eligible_trainee, cohort, rules.OVERLAP)
    assert other.cohort.code in text and "bertabrakan" in text
    assert "overlaps these dates" in message(eligible_trainee, cohort, rules.OVERLAP, "en")
    # Reported once: the same application is not listed again as the same intake.
    assert evaluate(eligible_trainee, cohort).result(rules.ONE_PER_INTAKE).ok


def test_withdrawn_application_does_not_block(eligible_trainee):
    cohort = CohortFactory()
    ApplicationFactory(
        trainee=eligible_trainee,
        cohort=CohortFactory(training_start=cohort.training_start),
        status=ApplicationStatus.WITHDRAWN,
    )
    assert evaluate(eligible_trainee, cohort).eligible


def test_one_program_per_intake(eligible_trainee):
    cohort = CohortFactory()
    # Same registration round, training later (no date overlap).
    other = ApplicationFactory(
        trainee=eligible_trainee,
        cohort=CohortFactory(training_start=cohort.training_end + datetime.timedelta(days=30)),
    )
    text = message(eligible_trainee, cohort, rules.ONE_PER_INTAKE)
    assert other.cohort.program.title in text and "satu program" in text
    assert "one program per round" in message(eligible_trainee, cohort, rules.ONE_PER_INTAKE, "en")


def test_age_on_handles_birthdays():
    assert rules.age_on(datetime.date(2000, 5, 17), datetime.date(2026, 5, 16)) == 25
    assert rules.age_on(datetime.date(2000, 5, 17), datetime.date(2026, 5, 17)) == 26
    assert rules.age_on(datetime.date(2004, 2, 29), datetime.date(2026, 2, 28)) == 21
    assert rules.age_on(datetime.date(2004, 2, 29), datetime.date(2026, 3, 1)) == 22
