"""Applications in a person's data export and erasure (see core.personal_data)."""

from .models import Application, ApplicationEvent


def export(user) -> dict:
    applications = (
        Application.objects.filter(trainee__user=user)
        .select_related("cohort__program")
        .order_by("created_at")
    )
    return {
        "applications": [
            {
                "program": a.cohort.program.title,
                "cohort": a.cohort.code,
                "status": a.status,
                "motivation": a.motivation,
                "applied_at": a.created_at,
                "history": [
                    {
                        "at": e.created_at,
                        "from": e.from_status,
                        "to": e.to_status,
                        "reason": e.reason,
                    }
                    for e in a.events.all()
                ],
            }
            for a in applications
        ]
    }


def erase(user) -> dict:
    """Keep applications (seat statistics), drop the free text the person wrote."""
    applications = Application.objects.filter(trainee__user=user)
    count = applications.update(motivation="")
    ApplicationEvent.objects.filter(application__in=applications).update(data={})
    return {"applications_anonymised": count}
