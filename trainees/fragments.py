"""What in a job seeker's own record changes their cached pages (core.fragments): the
account (the name the dashboard greets), the profile and the documents (how complete the
profile is)."""

from __future__ import annotations

from accounts.models import User
from core.fragments import (
    fragment_bump,
    fragment_bump_later,
    fragment_receivers_connect,
    user_owner,
)

from .models import Document, Trainee


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every log-in saves the time: nothing a page shows
    fragment_bump(user_owner(instance.pk))


def _trainee_changed(sender, instance, **kwargs):
    fragment_bump(user_owner(instance.user_id))


def _document_changed(sender, instance, **kwargs):
    trainee_id = instance.trainee_id
    fragment_bump_later(lambda: owners_of_trainee(trainee_id))


def owners_of_trainee(trainee_id: int) -> list[str]:
    users = Trainee.objects.filter(pk=trainee_id).values_list("user_id", flat=True)
    return [user_owner(u) for u in users]


def connect() -> None:
    fragment_receivers_connect(
        [(User, _user_changed), (Trainee, _trainee_changed), (Document, _document_changed)]
    )
