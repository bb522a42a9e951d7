"""Writes about employers: registration, verification by staff, company details."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import AccountError
from accounts.models import User
from accounts.services import account_create
from core.events import event_record
from courses.certification.services.credentials import (
    EmployerContact,
    credential_employer_contact_set,
)

from ..errors import EmployerError
from ..models import Employer, EmployerEvent, EmployerMember
from . import _notify

# Company fields the employer may change; name and NIB freeze once staff verified them.
COMPANY_FIELDS = (
    "name",
    "nib",
    "sector",
    "zone",
    "address",
    "contact_person",
    "phone",
    "email",
)
FROZEN_AFTER_VERIFICATION = ("name", "nib")
# The company's K3 contact: optional, changed on the company page at any time.
K3_CONTACT_FIELDS = ("k3_contact_name", "k3_contact_phone", "k3_contact_email")


def _nib_taken_error() -> EmployerError:
    return EmployerError(
        EmployerError.NIB_TAKEN,
        _(
            "A company with this NIB is already registered. If you work there, ask the "
            "training center to add your account to it."
        ),
    )


def _email_taken_error() -> EmployerError:
    return EmployerError(
        EmployerError.EMAIL_TAKEN,
        _("An account with this e-mail address exists already. Log in or reset the password."),
    )


def employer_register(
    *,
    email: str,
    password: str,
    full_name: str,
    company: dict,
    language: str = "",
) -> User:
    """Create an employer account and its company; the company is not verified yet.

    `company` holds the `COMPANY_FIELDS`. The account can draft vacancies at once;
    publishing waits for staff to verify the company.
    """
    try:
        with transaction.atomic(durable=True):
            try:
                user = account_create(
                    email=email,
                    password=password,
                    full_name=full_name,
                    role=User.Role.EMPLOYER,
                    language=language,
                )
            except AccountError as exc:
                raise _email_taken_error() from exc
            if Employer.objects.filter(nib=company["nib"]).exists():
                raise _nib_taken_error()
            employer = Employer.objects.create(
                **{field: company[field] for field in COMPANY_FIELDS},
                **{field: company.get(field) or "" for field in K3_CONTACT_FIELDS},
            )
            EmployerMember.objects.create(user=user, employer=employer)
    except IntegrityError as exc:
        # Two sign-ups raced past the NIB check: the unique constraint decides.
        raise _nib_taken_error() from exc
    return user


def employer_update(*, employer: Employer, data: dict) -> Employer:
    """Change the company details; name and NIB cannot change after verification. A new
    K3 contact takes over the reminders of the licences bound to the company."""
    with transaction.atomic(durable=True):
        locked = Employer.objects.select_for_update().get(pk=employer.pk)
        contact_before = employer_k3_contact(locked)
        fields = [f for f in (*COMPANY_FIELDS, *K3_CONTACT_FIELDS) if f in data]
        if locked.is_verified:
            fields = [f for f in fields if f not in FROZEN_AFTER_VERIFICATION]
        if "nib" in fields and (
            Employer.objects.filter(nib=data["nib"]).exclude(pk=locked.pk).exists()
        ):
            raise _nib_taken_error()
        for field in fields:
            setattr(locked, field, data[field] if data[field] is not None else "")
        locked.save()
        contact = employer_k3_contact(locked)
        if contact != contact_before:
            credential_employer_contact_set(
                credential_ids=locked.licences.values_list("credential_id", flat=True),
                contact=contact,
            )
    return locked


def employer_k3_contact(employer: Employer, *, account=None) -> EmployerContact:
    """The company's K3 contact as the registry keeps it on a bound credential."""
    return EmployerContact(
        name=employer.k3_contact_name,
        email=employer.k3_contact_email,
        phone=employer.k3_contact_phone,
        account=account,
    )


def employer_verify(*, employer: Employer, actor: User) -> Employer:
    """Staff confirm the company is real (NIB checked in OSS); its vacancies may go public."""
    with transaction.atomic(durable=True):
        locked = Employer.objects.select_for_update().get(pk=employer.pk)
        if locked.is_verified:
            raise EmployerError(
                EmployerError.ALREADY_VERIFIED, _("This employer is already verified.")
            )
        locked.verified_at = timezone.now()
        locked.verified_by = actor
        locked.save(update_fields=["verified_at", "verified_by", "updated_at"])
        event_record(
            subject=locked,
            from_status=EmployerEvent.Standing.UNVERIFIED,
            to_status=EmployerEvent.Standing.VERIFIED,
            actor=actor,
            created_at=locked.verified_at,
        )
        _notify.notify_employer_verified(employer=locked)
    return locked
