"""BPJS cover, incidents, payee details and allowances in a person's data download and
erasure (see core.personal_data).

Erasure keeps what the law and the accounts require and drops what names the person:
the register's lines and their history stay (the contributions paid for the intake, the
share covered) without the KPJ number or the refusal note; an incident stays as a dated
accident at a place (the JKK claim file, work-accident statistics) without witnesses or the
injury; the allowance paid stays (the treasurer's books) and the bank or e-wallet details
are deleted.
"""

from .models import AllowancePayment, Coverage, CoverageEvent, Incident, Payee


def _of(model, user):
    """The person's rows of `model`: each belongs to one of their applications."""
    return model.objects.filter(application__trainee__user=user)


def export(user) -> dict:
    lines = _of(Coverage, user).select_related("cohort", "batch")
    incidents = _of(Incident, user).select_related("application__cohort")
    payees = _of(Payee, user).select_related("application__cohort")
    payments = _of(AllowancePayment, user).select_related("application__cohort")
    return {
        "bpjs_cover": [
            {
                "cohort": line.cohort.code,
                "status": line.status,
                "batch": str(line.batch) if line.batch else "",
                "kpj_number": line.kpj_number,
                "card_received": line.card_received,
                "covered_from": line.active_from,
                "covered_until": line.active_until,
                "refusal_reason": line.refusal_reason,
                "refusal_note": line.refusal_note,
                "history": [
                    {"at": e.created_at, "from": e.from_status, "to": e.to_status}
                    for e in line.events.all()
                ],
            }
            for line in lines
        ],
        "incidents": [
            {
                "cohort": i.application.cohort.code,
                "occurred_at": i.occurred_at,
                "place": i.place,
                "where": i.setting,
                "witnesses": i.witnesses,
                "injury": i.injury,
                "reported_to_bpjs_at": i.reported_to_bpjs_at,
                "reported_to_bpjs_by": i.reported_to_bpjs_by,
            }
            for i in incidents
        ],
        "allowance_payee": [
            {
                "cohort": p.application.cohort.code,
                "method": p.method,
                "provider": p.provider,
                "account_number": p.account_number,
                "account_name": p.account_name,
                "verified_at": p.verified_at,
            }
            for p in payees
        ],
        "allowances_paid": [
            {"cohort": p.application.cohort.code, "amount": p.amount, "paid_on": p.paid_on}
            for p in payments
        ],
    }


def erase(user) -> dict:
    lines = _of(Coverage, user)
    anonymised = lines.update(kpj_number="", refusal_note="")
    CoverageEvent.objects.filter(coverage__in=lines).update(reason="")
    incidents = _of(Incident, user).update(witnesses="", injury="")
    payees, _ = _of(Payee, user).delete()
    return {
        "cover_lines_anonymised": anonymised,
        "incidents_anonymised": incidents,
        "payees_deleted": payees,
    }
