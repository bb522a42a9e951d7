"""Reads of certification: the registry (a person's credentials, by code, lists with
their derived status), assessments open for registration, certified people by scheme.

Other apps use: `credential_list_for_trainees` (employers' people), `credential_has_active`
(the job-application gate), `credential_get_by_code` (public verification),
`credential_count_certified_by_scheme` (labour-market figures).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from courses.models import (
    Assessment,
    AssessmentRegistration,
    Credential,
    CredentialScheme,
    CredentialStatus,
)

VALID_STATUSES = (CredentialStatus.ACTIVE, CredentialStatus.EXPIRING)


def _registry(today: datetime.date) -> QuerySet[Credential]:
    return Credential.objects.select_related("scheme").annotate_status(today=today)


def credential_list_for_user(*, user, today: datetime.date | None = None) -> list[Credential]:
    """The person's own credentials, soonest expiry first (one query)."""
    today = today or timezone.localdate()
    return list(_registry(today).filter(holder__user=user).order_by("expires_on", "pk"))


def credential_get_by_code(*, code: str, today: datetime.date | None = None):
    """The public verification: the credential with that code, else None."""
    today = today or timezone.localdate()
    return _registry(today).filter(code=code).first()


def credential_get_scan_for_staff(*, pk: int, user) -> Credential:
    """A credential whose scan a staff member may open (view permission on credentials)."""
    if not (user.is_authenticated and user.is_staff and user.has_perm("courses.view_credential")):
        raise Http404
    return get_object_or_404(Credential.objects.exclude(scan=""), pk=pk)


def credential_has_active(*, user, scheme_id: int, today: datetime.date | None = None) -> bool:
    """Whether the person holds a valid (active or expiring) credential of the scheme."""
    today = today or timezone.localdate()
    return (
        _registry(today)
        .filter(holder__user=user, scheme_id=scheme_id, status_now__in=VALID_STATUSES)
        .exists()
    )


def credential_list_for_trainees(
    *,
    trainee_ids,
    today: datetime.date | None = None,
    within_days: int | None = None,
    statuses=None,
) -> QuerySet[Credential]:
    """Credentials of these people (the caller decides who may see whom), with status;
    `within_days`: expiring within that many days (or expired in the last 30)."""
    today = today or timezone.localdate()
    qs = _registry(today).filter(holder_id__in=trainee_ids).select_related("holder__user")
    if within_days is not None:
        qs = qs.filter(
            expires_on__isnull=False,
            expires_on__lte=today + datetime.timedelta(days=within_days),
        )
    if statuses:
        qs = qs.filter(status_now__in=statuses)
    return qs.order_by("expires_on", "pk")


def assessment_list_open_for(*, today: datetime.date | None = None) -> QuerySet[Assessment]:
    """Assessments still ahead, with their seats taken (one query)."""
    today = today or timezone.localdate()
    return (
        Assessment.objects.filter(date__gte=today)
        .select_related("scheme", "program")
        .annotate(
            seats_taken=Count(
                "registrations", filter=~Q(registrations__status="cancelled"), distinct=True
            )
        )
        .order_by("date", "pk")
    )


def registration_get_for_user(*, pk: int, user) -> AssessmentRegistration:
    """The person's own registration (another person's: 404)."""
    return get_object_or_404(
        AssessmentRegistration.objects.select_related("assessment__scheme"),
        pk=pk,
        trainee__user=user,
    )


def registration_get_apl_for_staff(*, pk: int, form: str, user) -> AssessmentRegistration:
    """A registration whose APL form a staff member may open (view permission on
    registrations) and that has that form; else 404."""
    if form not in AssessmentRegistration.APL_FORMS or not (
        user.is_authenticated
        and user.is_staff
        and user.has_perm("courses.view_assessmentregistration")
    ):
        raise Http404
    return get_object_or_404(AssessmentRegistration.objects.exclude(**{form: ""}), pk=pk)


def registration_list_for_user(*, user) -> list[AssessmentRegistration]:
    return list(
        AssessmentRegistration.objects.filter(trainee__user=user)
        .select_related("assessment__scheme")
        .order_by("-assessment__date", "-pk")
    )


def credential_count_certified_by_scheme(
    *, today: datetime.date | None = None
) -> list[tuple[str, int]]:
    """(scheme name, people holding a valid credential of it), one grouped query."""
    today = today or timezone.localdate()
    rows = (
        Credential.objects.annotate_status(today=today)
        .filter(status_now__in=VALID_STATUSES)
        .exclude(scheme__kind=CredentialScheme.Kind.STC_TRAINING)
        .values("scheme__name")
        .annotate(people=Count("holder", distinct=True))
        .order_by("scheme__name")
    )
    return [(row["scheme__name"], row["people"]) for row in rows]
