"""An employer records a K3 licence or SKP the ministry issued on its application for a
worker placed with it; staff verify it against the scan afterwards. A hire for a vacancy
whose job needs such a licence asks the employer to record it once issued."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.certification.services.credentials import credential_record
from courses.models import Credential, CredentialScheme
from notifications.models import Notification
from notifications.services import notification_queue
from trainees.models import Trainee

from ..errors import EmployerError
from ..models import Employer, EmployerLicence, Placement
from .employers import employer_k3_contact


def employer_credential_record(
    *,
    employer: Employer,
    trainee: Trainee,
    scheme: CredentialScheme,
    number: str,
    issued_on: datetime.date,
    actor,
    expires_on: datetime.date | None = None,
    scan=None,
) -> Credential:
    """Record the licence of a person placed with `employer`, bound to it when the scheme
    says so: its reminders go to the company's K3 contact, else to the account that
    recorded it. It answers the hire's request to record it (the latest placement of
    that person with the company)."""
    placement = (
        Placement.objects.filter(employer=employer, person_id=trainee.user_id)
        .order_by("-start_date", "-pk")
        .first()
    )
    if placement is None:
        raise EmployerError(
            EmployerError.NOT_PLACED, _("Record licences of people placed with your company.")
        )
    account = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic(durable=True):
        credential = credential_record(
            scheme=scheme,
            holder=trainee,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            actor=actor,
            employer_name=employer.name,
            employer_contact=employer_k3_contact(employer, account=account),
            scan=scan,
        )
        EmployerLicence.objects.create(
            employer=employer, placement=placement, credential=credential
        )
    return credential


def placement_licence_request(*, placement: Placement) -> None:
    """After a hire for a job that needs a licence: ask the company (its K3 contact, else
    its accounts) to record the licence number once the ministry issued it. Inside the
    hire's transaction; once per placement."""
    vacancy = placement.vacancy
    if vacancy is None or vacancy.licence_scheme_id is None:
        return
    employer = placement.employer
    context = {
        "employer": employer.name,
        "person": placement.person.get_full_name() if placement.person else placement.person_name,
        "scheme": vacancy.licence_scheme.name,
        "vacancy": vacancy.title,
        "url": reverse("placements:employer-credentials") + "#to-record",
    }
    key = f"employer.licence_to_record:{placement.pk}"
    if employer.k3_contact_email:
        notification_queue(
            kind=Notification.Kind.EMPLOYER_LICENCE_TO_RECORD,
            context={**context, "name": employer.k3_contact_name},
            dedup_key=key,
            email=employer.k3_contact_email,
        )
        return
    for member in employer.members.select_related("user"):
        if member.user.is_active:
            notification_queue(
                kind=Notification.Kind.EMPLOYER_LICENCE_TO_RECORD,
                context=context,
                dedup_key=f"{key}:{member.user.pk}",
                recipient=member.user,
            )
