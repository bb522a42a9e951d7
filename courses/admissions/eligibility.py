"""Who may apply for a cohort, rule by rule, in the person's language.

Every rule is evaluated (no short-circuit) so the page can list everything to fix at
once. The same function runs when the apply page is shown and again inside the
submitting transaction, so what the person saw is what the service enforces.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.choices import DocumentKind, EducationLevel
from core.formatting import format_moment
from courses.admissions.rules import ACTIVE_STATUSES
from courses.models import Application, Cohort, CohortStatus
from trainees.selectors import trainee_profile_missing

# Rule codes, stable for tests and callers.
REGISTRATION_OPEN = "registration_open"
AGE = "age"
EDUCATION = "education"
EXPERIENCE = "experience"
PROFILE = "profile_complete"
DOCUMENTS = "documents"
OVERLAP = "no_overlap"
ONE_PER_INTAKE = "one_per_intake"

RULE_ORDER = (
    REGISTRATION_OPEN,
    AGE,
    EDUCATION,
    EXPERIENCE,
    PROFILE,
    DOCUMENTS,
    OVERLAP,
    ONE_PER_INTAKE,
)


@dataclass(frozen=True)
class RuleResult:
    code: str
    ok: bool
    message: str
    fix_url: str = ""


@dataclass(frozen=True)
class Eligibility:
    results: list[RuleResult]

    @property
    def eligible(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.results if not r.ok]

    @property
    def unfixable(self) -> bool:
        """Whether a failed rule is one the person cannot change before the training
        (the age on the first day): then other programs are worth suggesting."""
        return any(r.code == AGE and not r.fix_url for r in self.failures)

    def result(self, code: str) -> RuleResult | None:
        return next((r for r in self.results if r.code == code), None)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day` (someone born on 29 February ages on 1 March)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _dates(cohort: Cohort) -> str:
    return f"{_date(cohort.training_start)} – {_date(cohort.training_end)}"


def _rule_open(cohort: Cohort, now: datetime.datetime) -> RuleResult:
    status = cohort.status_at(now)
    if status == CohortStatus.OPEN:
        return RuleResult(
            REGISTRATION_OPEN,
            True,
            _("Registration is open until %(date)s.")
            % {"date": format_moment(cohort.registration_closes_at)},
        )
    return RuleResult(
        REGISTRATION_OPEN,
        False,
        _("Registration for this cohort is not open (%(status)s).") % {"status": status.label},
    )


def _rule_age(trainee, cohort: Cohort, profile_url: str) -> RuleResult | None:
    program = cohort.program
    low, high = program.min_age, program.max_age
    if low is None and high is None:
        return None
    if trainee.birth_date is None:
        return RuleResult(
            AGE,
            False,
            _("Fill in your birth date so that the age limit can be checked."),
            profile_url + "#id_birth_date",
        )
    age = age_on(trainee.birth_date, cohort.training_start)
    if high is not None and age > high:
        return RuleResult(
            AGE,
            False,
            _("You are %(age)d when training starts; the limit is %(limit)d.")
            % {"age": age, "limit": high},
        )
    if low is not None and age < low:
        return RuleResult(
            AGE,
            False,
            _("You are %(age)d when training starts; the minimum is %(limit)d.")
            % {"age": age, "limit": low},
        )
    return RuleResult(
        AGE, True, _("You are %(age)d when training starts: within the age limit.") % {"age": age}
    )


def _scheme(cohort: Cohort):
    """The credential scheme the programme prepares for (K3, BNSP), or None: its minimum
    education and experience apply to the programme's applicants."""
    program = cohort.program
    return program.credential_scheme if program.credential_scheme_id else None


def _minimum_education(cohort: Cohort) -> str:
    """The stricter of the programme's and its scheme's minimum education."""
    levels = [cohort.program.min_education]
    scheme = _scheme(cohort)
    if scheme is not None:
        levels.append(scheme.min_education)
    levels = [level for level in levels if level]
    return max(levels, key=EducationLevel.rank_of) if levels else ""


def _rule_education(trainee, cohort: Cohort, profile_url: str) -> RuleResult | None:
    minimum = _minimum_education(cohort)
    if not minimum:
        return None
    minimum_label = EducationLevel(minimum).label
    if not trainee.education_level:
        return RuleResult(
            EDUCATION,
            False,
            _("Fill in your education level (this program asks for at least %(minimum)s).")
            % {"minimum": minimum_label},
            profile_url + "#id_education_level",
        )
    have_label = EducationLevel(trainee.education_level).label
    if EducationLevel.meets(trainee.education_level, minimum):
        return RuleResult(
            EDUCATION,
            True,
            _("Your education (%(have)s) meets the minimum (%(minimum)s).")
            % {"have": have_label, "minimum": minimum_label},
        )
    return RuleResult(
        EDUCATION,
        False,
        _("Your education is %(have)s; this program asks for at least %(minimum)s.")
        % {"have": have_label, "minimum": minimum_label},
    )


def _rule_experience(trainee, cohort: Cohort, profile_url: str) -> RuleResult | None:
    scheme = _scheme(cohort)
    minimum = scheme.min_experience_years if scheme is not None else None
    if not minimum:
        return None
    have = trainee.work_experience_years
    if have is None:
        return RuleResult(
            EXPERIENCE,
            False,
            ngettext(
                "Fill in your years of work experience (this programme asks for at least "
                "%(minimum)d year).",
                "Fill in your years of work experience (this programme asks for at least "
                "%(minimum)d years).",
                minimum,
            )
            % {"minimum": minimum},
            profile_url + "#id_work_experience_years",
        )
    if have >= minimum:
        return RuleResult(
            EXPERIENCE,
            True,
            ngettext(
                "Your work experience meets the minimum of %(minimum)d year (your profile "
                "says %(have)d).",
                "Your work experience meets the minimum of %(minimum)d years (your profile "
                "says %(have)d).",
                minimum,
            )
            % {"have": have, "minimum": minimum},
        )
    return RuleResult(
        EXPERIENCE,
        False,
        ngettext(
            "The %(scheme)s scheme asks for at least %(minimum)d year of work experience; "
            "your profile says %(have)d.",
            "The %(scheme)s scheme asks for at least %(minimum)d years of work experience; "
            "your profile says %(have)d.",
            minimum,
        )
        % {"have": have, "minimum": minimum, "scheme": scheme.name},
        profile_url + "#id_work_experience_years",
    )


def _rule_profile(trainee, profile_url: str) -> RuleResult:
    missing = trainee_profile_missing(trainee=trainee)
    if not missing:
        return RuleResult(PROFILE, True, _("Your profile is complete."))
    labels = ", ".join(str(item.label) for item in missing)
    return RuleResult(
        PROFILE,
        False,
        _("Complete your profile: %(missing)s.") % {"missing": labels},
        profile_url + "#" + missing[0].anchor,
    )


def _rule_documents(cohort: Cohort, have: set[str], profile_url: str) -> RuleResult | None:
    required = [kind for kind in cohort.program.required_documents if kind]
    if not required:
        return None
    missing = [kind for kind in required if kind not in have]
    if not missing:
        return RuleResult(DOCUMENTS, True, _("Every required document is uploaded."))
    labels = ", ".join(str(DocumentKind(kind).label) for kind in missing)
    return RuleResult(
        DOCUMENTS,
        False,
        ngettext(
            "Upload this document: %(documents)s.",
            "Upload these documents: %(documents)s.",
            len(missing),
        )
        % {"documents": labels},
        profile_url + f"#document-{missing[0]}",
    )


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= b_end and b_start <= a_end


def _rule_overlap(cohort: Cohort, others: list[Application], dashboard_url: str) -> RuleResult:
    clashing = [
        a
        for a in others
        if _overlaps(
            a.cohort.training_start,
            a.cohort.training_end,
            cohort.training_start,
            cohort.training_end,
        )
    ]
    if not clashing:
        return RuleResult(OVERLAP, True, _("No other training of yours overlaps these dates."))
    other = clashing[0]
    return RuleResult(
        OVERLAP,
        False,
        _(
            "Your application for %(program)s (%(cohort)s, %(dates)s) overlaps these dates. "
            "Withdraw it first if you prefer this training."
        )
        % {
            "program": other.cohort.program.title,
            "cohort": other.cohort.code,
            "dates": _dates(other.cohort),
        },
        dashboard_url + f"#application-{other.pk}",
    )


def _rule_intake(
    cohort: Cohort, others: list[Application], already_reported: set[int], dashboard_url: str
) -> RuleResult:
    # An intake is a registration round: cohorts whose registration windows overlap.
    same_intake = [
        a
        for a in others
        if a.pk not in already_reported
        and a.cohort.registration_opens_at < cohort.registration_closes_at
        and cohort.registration_opens_at < a.cohort.registration_closes_at
    ]
    if not same_intake:
        return RuleResult(
            ONE_PER_INTAKE, True, _("No other application of yours in this registration round.")
        )
    other = same_intake[0]
    return RuleResult(
        ONE_PER_INTAKE,
        False,
        _(
            "You already applied for %(program)s (%(cohort)s) in this registration round; "
            "one program per round. Withdraw that application first to apply here."
        )
        % {"program": other.cohort.program.title, "cohort": other.cohort.code},
        dashboard_url + f"#application-{other.pk}",
    )


def eligibility_evaluate(
    *,
    trainee,
    cohort: Cohort,
    documents: set[str],
    other_applications: list[Application],
    now: datetime.datetime | None = None,
) -> Eligibility:
    """Evaluate every rule for `trainee` applying to `cohort`.

    `documents`: the kinds the person has uploaded; `other_applications`: their
    applications to other cohorts (any status: only active ones count), with
    `cohort__program` loaded. A programme that prepares for a credential scheme (K3,
    BNSP) also asks for the scheme's minimum education and years of work experience;
    its documents (a fitness letter, an experience letter) are the programme's own.
    """
    now = now or timezone.now()
    profile_url = reverse("trainees:profile")
    dashboard_url = reverse("courses:dashboard")
    active = [
        a for a in other_applications if a.cohort_id != cohort.pk and a.status in ACTIVE_STATUSES
    ]
    overlap = _rule_overlap(cohort, active, dashboard_url)
    reported = set()
    if not overlap.ok:
        reported = {
            a.pk
            for a in active
            if _overlaps(
                a.cohort.training_start,
                a.cohort.training_end,
                cohort.training_start,
                cohort.training_end,
            )
        }
    results = [
        _rule_open(cohort, now),
        _rule_age(trainee, cohort, profile_url),
        _rule_education(trainee, cohort, profile_url),
        _rule_experience(trainee, cohort, profile_url),
        _rule_profile(trainee, profile_url),
        _rule_documents(cohort, documents, profile_url),
        overlap,
        _rule_intake(cohort, active, reported, dashboard_url),
    ]
    return Eligibility([r for r in results if r is not None])
