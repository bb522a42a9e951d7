"""Choices shared by several apps (profiles, programs, documents).

They live in the kernel so that `trainees` (the person's facts) and `courses` (the
program's rules) speak the same vocabulary without importing each other.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    """Highest completed education, in Indonesian school-system order.

    Use `rank` (or `meets`/`values_at_least`/`values_at_most`) to compare, never the
    string values. SMA and SMK share a rank: job adverts and BLK rules say
    "SMA/SMK sederajat", so a program asking for SMA accepts an SMK graduate and
    vice versa.
    """

    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA/MA)")
    SMK = "smk", _("Vocational high school (SMK)")
    D1 = "d1", _("Diploma 1 (D1)")
    D2 = "d2", _("Diploma 2 (D2)")
    D3 = "d3", _("Diploma 3 (D3)")
    D4_S1 = "d4_s1", _("Bachelor or applied bachelor (D4/S1)")
    S2_PLUS = "s2_plus", _("Master or higher (S2/S3)")

    @property
    def rank(self) -> int:
        return EDUCATION_RANK[self.value]

    @classmethod
    def rank_of(cls, value: str) -> int:
        """Rank of a stored value; unknown values rank below everything."""
        return EDUCATION_RANK.get(value, -1)

    @classmethod
    def meets(cls, have: str | None, minimum: str | None) -> bool:
        """Whether an education `have` satisfies a `minimum` (no minimum: always)."""
        if not minimum:
            return True
        if not have:
            return False
        return cls.rank_of(have) >= cls.rank_of(minimum)

    @classmethod
    def values_at_most(cls, value: str) -> list[str]:
        """Values ranked at or below `value`: the minimums a holder of `value` meets."""
        limit = cls.rank_of(value)
        return [v for v in cls.values if EDUCATION_RANK[v] <= limit]

    @classmethod
    def values_at_least(cls, value: str) -> list[str]:
        """Values ranked at or above `value`: the educations that meet minimum `value`."""
        limit = cls.rank_of(value)
        return [v for v in cls.values if EDUCATION_RANK[v] >= limit]


EDUCATION_RANK: dict[str, int] = {
    EducationLevel.SD.value: 1,
    EducationLevel.SMP.value: 2,
    EducationLevel.SMA.value: 3,
    EducationLevel.SMK.value: 3,
    EducationLevel.D1.value: 4,
    EducationLevel.D2.value: 5,
    EducationLevel.D3.value: 6,
    EducationLevel.D4_S1.value: 7,
    EducationLevel.S2_PLUS.value: 8,
}


def education_field(verbose_name, **options) -> models.CharField:
    """An education level column, empty when not said (a person) or no minimum (a rule)."""
    return models.CharField(
        verbose_name, max_length=10, choices=EducationLevel.choices, blank=True, **options
    )


class DocumentKind(models.TextChoices):
    """Documents a program may require and a trainee may upload (all personal data)."""

    KTP = "ktp", _("Identity card (KTP)")
    IJAZAH = "ijazah", _("Latest diploma (ijazah)")
    KK = "kk", _("Family card (KK)")
    PHOTO = "photo", _("Passport photo")
    # Asked by K3 programmes (a fitness letter for operators and work at height, a letter
    # from a past employer for Ahli K3 Umum).
    FITNESS = "fitness", _("Fitness letter (surat keterangan sehat)")
    EXPERIENCE = "experience", _("Work experience letter (surat keterangan pengalaman kerja)")
