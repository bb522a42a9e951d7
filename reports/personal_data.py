"""Placement tracer answers in a person's data export and erasure (see core.personal_data).

Erasure keeps the answer's statistics (working or not, pay band, related to the
training: they feed the published figures, which never name anyone) and drops the one
thing that can point at the person, the employer they named.
"""

from .models import TracerSurvey


def export(user) -> dict:
    surveys = (
        TracerSurvey.objects.filter(application__trainee__user=user)
        .select_related("application__cohort__program")
        .order_by("sent_at", "pk")
    )
    return {
        "placement_tracer": [
            {
                "program": s.application.cohort.program.title,
                "cohort": s.application.cohort.code,
                "months_after_training": s.round,
                "asked_at": s.sent_at,
                "answered_at": s.answered_at,
                "working": s.working,
                "employer": s.employer_name,
                "salary_band": s.salary_band,
                "related_to_training": s.related_to_training,
            }
            for s in surveys
        ]
    }


def erase(user) -> dict:
    changed = TracerSurvey.objects.filter(application__trainee__user=user).update(employer_name="")
    return {"tracer_answers_anonymised": changed}
