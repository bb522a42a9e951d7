"""Job applications, placements and job alerts in a person's data export and erasure."""

from .models import (
    EmployerMember,
    JobApplication,
    JobApplicationEvent,
    JobSeekerPreference,
    Placement,
)


def export(user) -> dict:
    applications = (
        JobApplication.objects.filter(person=user)
        .select_related("vacancy__employer")
        .order_by("created_at")
    )
    preference = JobSeekerPreference.objects.filter(user=user).first()
    return {
        "job_applications": [
            {
                "vacancy": a.vacancy.title,
                "employer": a.vacancy.employer.name,
                "status": a.status,
                "cover_note": a.cover_note,
                "applied_at": a.created_at,
                "reason": a.not_selected_reason,
            }
            for a in applications
        ],
        "placements": [
            {"employer": p.employer.name, "start_date": p.start_date}
            for p in Placement.objects.filter(person=user).select_related("employer")
        ],
        "job_alerts": None
        if preference is None
        else {"job_alerts": preference.job_alerts, "discoverable": preference.discoverable},
        "employer_membership": [
            m.employer.name
            for m in EmployerMember.objects.filter(user=user).select_related("employer")
        ],
    }


def erase(user) -> dict:
    """Keep job applications and placements (hiring statistics), anonymised."""
    applications = JobApplication.objects.filter(person=user)
    count = applications.update(cover_note="", snapshot={})
    # Not-selected rows must keep a reason (database constraint): a neutral one.
    applications.exclude(not_selected_reason="").update(not_selected_reason="—")
    JobApplicationEvent.objects.filter(job_application__in=applications).update(note="")
    preferences = JobSeekerPreference.objects.filter(user=user).delete()[0]
    memberships = EmployerMember.objects.filter(user=user).delete()[0]
    return {
        "job_applications_anonymised": count,
        "job_alerts": preferences,
        "employer_memberships": memberships,
    }
