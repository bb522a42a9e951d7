"""An employer records a K3 licence or SKP the ministry issued on its application for a
worker placed with it; staff verify it against the scan afterwards."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from courses.certification.services import credential_record
from courses.models import Credential, CredentialScheme
from trainees.models import Trainee

from ..errors import EmployerError
from ..models import Employer, Placement


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
    says so; its reminders go to the company's e-mail as the K3 contact."""
    if not Placement.objects.filter(employer=employer, person_id=trainee.user_id).exists():
        raise EmployerError(
            EmployerError.NOT_PLACED, _("Record licences of people placed with your company.")
        )
    return credential_record(
        scheme=scheme,
        holder=trainee,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        actor=actor,
        employer_name=employer.name,
        employer_contact_email=employer.email,
        scan=scan,
    )
