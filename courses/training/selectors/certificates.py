"""Reads of the certificates and the graduates (people holding a valid certificate)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from courses.models import Certificate
from trainees.models import Trainee


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """The certificate a verification code names (case-insensitive), or None."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_get_for_viewer(*, pk: int, user) -> Certificate:
    """The printable certificate: its holder or staff only; anyone else gets 404."""
    queryset = Certificate.objects.select_related("application__trainee__user")
    if not user.is_staff:
        queryset = queryset.filter(application__trainee__user=user)
    return get_object_or_404(queryset, pk=pk)


def certificate_list_valid_for(*, trainee) -> QuerySet[Certificate]:
    """The person's certificates that are not revoked, newest first."""
    return (
        Certificate.objects.valid()
        .filter(application__trainee=trainee)
        .order_by("-issued_on", "-pk")
    )


def certificate_list_valid_for_user(*, user) -> QuerySet[Certificate]:
    """The valid certificates of the person with this account, with their programs."""
    return (
        Certificate.objects.valid()
        .filter(application__trainee__user=user)
        .select_related("application__cohort__program")
        .order_by("-issued_on", "-pk")
    )


def certificate_track_ids_by_user(*, track_ids) -> dict[int, set[int]]:
    """User id -> those of `track_ids` in which the person holds a valid certificate."""
    rows = (
        Certificate.objects.valid()
        .filter(application__cohort__program__track_id__in=list(track_ids))
        .values_list("application__trainee__user_id", "application__cohort__program__track_id")
    )
    result: dict[int, set[int]] = {}
    for user_id, track_id in rows:
        result.setdefault(user_id, set()).add(track_id)
    return result


def trainee_list_graduates(*, program=None, track=None) -> QuerySet:
    """Job seekers holding a valid certificate (of `program`, or of a program of `track`)."""
    certificates = Certificate.objects.valid().filter(application__trainee=OuterRef("pk"))
    if program is not None:
        certificates = certificates.filter(application__cohort__program=program)
    if track is not None:
        certificates = certificates.filter(application__cohort__program__track=track)
    return Trainee.objects.filter(Exists(certificates)).select_related("user")
