"""Job applications, placements and job alerts in a person's data export and erasure.

See core.personal_data. Erasure keeps the rows hiring statistics need (which vacancy,
status, dates, placements) and drops what identifies the person or was written by or
about them: the cover note, the profile snapshot, the messages and reasons. Applications
still in progress are withdrawn first, so no employer goes on moving (or e-mailing) an
erased applicant.
"""

from .models import (
    IN_PROGRESS,
    EmployerMember,
    JobApplication,
    JobApplicationEvent,
    JobSeekerPreference,
    Placement,
    PledgeInvitation,
)


def export(user) -> dict:
    applications = (
        JobApplication.objects.filter(person=user)
        .select_related("vacancy__employer")
        .prefetch_related("events")
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
                "interview_at": a.interview_at,
                "interview_place": a.interview_place,
                "reason": a.reason_text if a.status == JobApplication.Status.NOT_SELECTED else "",
                "sent_with_the_application": a.snapshot,
                "history": [
                    {
                        "at": e.created_at,
                        "kind": e.category,
                        "from": e.from_status,
                        "to": e.to_status,
                        "note": e.reason,
                    }
                    for e in a.events.all()
                ],
            }
            for a in applications
        ],
        "placements": [
            {
                "employer": p.employer.name,
                "start_date": p.start_date,
                "salary": p.salary,
                "source": p.source,
            }
            for p in Placement.objects.filter(person=user).select_related("employer")
        ],
        "invitations_from_pledging_employers": [
            {
                "employer": i.pledge.employer.name,
                "intake": i.pledge.cohort.code,
                "message": i.message,
                "invited_at": i.created_at,
                "sent_with_the_invitation": i.snapshot,
            }
            for i in PledgeInvitation.objects.filter(person=user)
            .select_related("pledge__employer", "pledge__cohort")
            .order_by("created_at")
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
    """Withdraw what is in progress; keep applications and placements, anonymised."""
    from .services.job_applications import job_application_transition

    withdrawn = 0
    in_progress = (
        JobApplication.objects.select_for_update()
        .filter(person=user, status__in=IN_PROGRESS)
        .order_by("pk")
    )
    for application in in_progress:
        # The applicant's own move: it sends no e-mail (the address is going away).
        job_application_transition(
            job_application=application, to=JobApplication.Status.WITHDRAWN, actor=user
        )
        withdrawn += 1
    applications = JobApplication.objects.filter(person=user)
    count = applications.update(cover_note="", snapshot={})
    # Not-selected rows must keep a reason (database constraint): a neutral one.
    applications.exclude(not_selected_reason="").update(not_selected_reason="—")
    JobApplicationEvent.objects.filter(job_application__in=applications).update(reason="")
    Placement.objects.filter(person=user).update(note="")
    # An invitation keeps its row (a pledge's numbers count it), not what it said or carried.
    invitations = PledgeInvitation.objects.filter(person=user).update(message="", snapshot={})
    preferences = JobSeekerPreference.objects.filter(user=user).delete()[0]
    memberships = EmployerMember.objects.filter(user=user).delete()[0]
    return {
        "job_applications_withdrawn": withdrawn,
        "job_applications_anonymised": count,
        "job_alerts": preferences,
        "employer_memberships": memberships,
        "pledge_invitations_anonymised": invitations,
    }
