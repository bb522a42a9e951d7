"""Applications in a person's data export and erasure (see core.personal_data)."""

from courses.models import (
    Application,
    ApplicationEvent,
    AssessmentRegistration,
    Certificate,
    Credential,
    SeatOffer,
)
from courses.training.selectors.progress import applications_attach_progress


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
                        "reason": e.reason_text,
                    }
                    for e in a.events.all()
                ],
            }
            for a in applications
        ],
        **_selection_and_training(user),
        **_certification(user),
    }


def _certification(user) -> dict:
    """The person's credentials (any issuer) and competency assessments."""
    credentials = Credential.objects.filter(holder__user=user).select_related("scheme")
    registrations = AssessmentRegistration.objects.filter(trainee__user=user).select_related(
        "assessment__scheme"
    )
    return {
        "credentials": [
            {
                "scheme": c.scheme.name,
                "number": c.number,
                "verification_code": c.code,
                "issuer": c.issuer,
                "issued_on": c.issued_on,
                "expires_on": c.expires_on,
                "status": c.status,
                "employer": c.employer_name,
                "revoked_at": c.revoked_at,
                "revoke_reason": c.revoke_reason,
            }
            for c in credentials.order_by("pk")
        ],
        "competency_assessments": [
            {
                "scheme": r.assessment.scheme.name,
                "date": r.assessment.date,
                "lsp": r.assessment.lsp,
                "status": r.status,
                "nominated_by": r.nominated_by,
                "unit_results": [
                    {"unit": u.unit.code, "result": u.result, "assessor": u.assessor}
                    for u in r.unit_results.select_related("unit")
                ],
                "bnsp_number": r.bnsp_number,
                "apl01_uploaded": bool(r.apl01),
                "apl02_uploaded": bool(r.apl02),
            }
            for r in registrations.order_by("pk")
        ],
    }


def erase(user) -> dict:
    """Keep applications (seat statistics), drop the free text the person wrote.

    Certificates stay verifiable by their code (the paper is the person's), but no longer
    carry the holder's name.
    """
    applications = Application.objects.filter(trainee__user=user)
    count = applications.update(motivation="")
    ApplicationEvent.objects.filter(application__in=applications).update(data={})
    certificates = Certificate.objects.filter(application__in=applications).update(holder_name="")
    # Credentials stay verifiable by code (the paper or card is the person's), nameless;
    # the scans show the person and go.
    for credential in Credential.objects.filter(holder__user=user).exclude(scan=""):
        credential.scan.delete(save=False)
    credentials = Credential.objects.filter(holder__user=user).update(
        holder_name="", scan="", scan_content_type=""
    )
    # The APL forms the person uploaded describe them: they go too (the result stays).
    registrations = AssessmentRegistration.objects.filter(trainee__user=user)
    for registration in registrations.exclude(apl01="", apl02=""):
        for form in AssessmentRegistration.APL_FORMS:
            getattr(registration, form).delete(save=False)
    registrations.update(apl01="", apl01_content_type="", apl02="", apl02_content_type="")
    return {
        "applications_anonymised": count,
        "certificates_anonymised": certificates,
        "credentials_anonymised": credentials,
    }


def _selection_and_training(user) -> dict:
    """Scores, ranking, offers, attendance, unit results and certificates."""
    applications = list(
        Application.objects.filter(trainee__user=user)
        .select_related("cohort__program")
        .order_by("created_at")
    )
    applications_attach_progress(applications)
    offers = SeatOffer.objects.filter(application__in=applications).order_by("created_at")
    return {
        "selection": [
            {
                "cohort": a.cohort.code,
                "written_test_score": a.written_test_score,
                "interview_score": a.interview_score,
                "weighted_score": a.selection_score,
                "rank": a.selection_rank,
                "tie_break_draw": a.selection_draw,
                "local_seat": a.selection_local_seat,
                "reserve_position": a.reserve_position,
                "attendance_percent": a.attendance_percent,
                "unit_results": [
                    {"unit": r.unit.code, "result": r.result} for r in a.unit_results_list
                ],
            }
            for a in applications
        ],
        "seat_offers": [
            {
                "cohort": o.cohort.code,
                "offered_at": o.created_at,
                "expires_at": o.expires_at,
                "state": o.state,
            }
            for o in offers.select_related("cohort")
        ],
        "certificates": [
            {
                "number": c.number,
                "verification_code": c.code,
                "program": c.program_title,
                "cohort": c.cohort_code,
                "issued_on": c.issued_on,
                "revoked_at": c.revoked_at,
                "revoke_reason": c.revoke_reason,
            }
            for c in Certificate.objects.filter(application__in=applications).order_by("pk")
        ],
    }
