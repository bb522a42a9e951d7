"""Reads of the trainees app, scoped by the person asking."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import search_words, user_ids_found
from core.choices import DocumentKind
from core.roles import PERSONAL_DATA_PERMISSION

from .models import Document, Trainee
from .regions import BATANG

# Documents every job seeker needs for a complete profile (programs may ask for more).
REQUIRED_DOCUMENTS = (DocumentKind.KTP, DocumentKind.IJAZAH)


@dataclass(frozen=True)
class MissingItem:
    key: str
    label: Promise | str
    anchor: str  # id of the form field or section to jump to


@dataclass
class Completeness:
    missing: list[MissingItem] = field(default_factory=list)
    total: int = 0

    @property
    def done(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def complete(self) -> bool:
        return not self.missing


def trainee_profile_missing(*, trainee: Trainee) -> list[MissingItem]:
    """Profile facts still missing for applying (documents not included)."""
    user = trainee.user
    checks = [
        ("full_name", _("Full name"), bool(user.full_name.strip())),
        ("phone", _("Phone number"), bool(user.phone)),
        ("nik", _("NIK"), bool(trainee.nik)),
        ("birth_date", _("Birth date"), trainee.birth_date is not None),
        ("gender", _("Gender"), bool(trainee.gender)),
        ("address", _("Street address"), bool(trainee.address.strip())),
        ("regency", _("Regency or city"), bool(trainee.regency)),
        (
            "kecamatan",
            _("Kecamatan"),
            bool(trainee.regency) and (trainee.regency != BATANG or bool(trainee.kecamatan)),
        ),
        ("education_level", _("Education level"), bool(trainee.education_level)),
        ("school", _("School or campus"), bool(trainee.school.strip())),
        ("graduation_year", _("Graduation year"), trainee.graduation_year is not None),
        ("current_activity", _("Current activity"), bool(trainee.current_activity)),
        ("consent", _("Consent to the processing of your data"), trainee.consent_at is not None),
    ]
    return [MissingItem(key, label, f"id_{key}") for key, label, ok in checks if not ok]


def trainee_document_kinds(*, trainee: Trainee) -> set[str]:
    """The kinds of document the person has uploaded."""
    return set(trainee.documents.values_list("kind", flat=True))


def trainee_documents_missing(
    *, trainee: Trainee, kinds=REQUIRED_DOCUMENTS, have: set[str] | None = None
) -> list[MissingItem]:
    """Required document kinds the person has not uploaded yet."""
    if have is None:
        have = trainee_document_kinds(trainee=trainee)
    return [
        MissingItem(f"document_{kind}", DocumentKind(kind).label, f"document-{kind}")
        for kind in kinds
        if kind not in have
    ]


def trainee_completeness(*, trainee: Trainee, documents=None) -> Completeness:
    """What is done and what is missing, for the meter on the profile page."""
    have = None if documents is None else {d.kind for d in documents}
    missing = trainee_profile_missing(trainee=trainee) + trainee_documents_missing(
        trainee=trainee, have=have
    )
    # 13 profile facts + the required documents.
    return Completeness(missing=missing, total=13 + len(REQUIRED_DOCUMENTS))


# The document kinds that programs with an intake open for registration ask for, with
# those programs' titles. trainees sits below courses and cannot read it: courses
# registers the reader when the app is ready (courses.apps).
_documents_asked_reader: Callable[[], dict[str, list[str]]] | None = None


def documents_asked_reader_register(reader: Callable[[], dict[str, list[str]]]) -> None:
    global _documents_asked_reader  # noqa: PLW0603 - one reader, set once at start-up
    _documents_asked_reader = reader


def documents_asked_by_open_intakes() -> dict[str, list[str]]:
    """Document kind -> titles of the programs open for registration that ask for it."""
    return _documents_asked_reader() if _documents_asked_reader is not None else {}


def trainee_get_for_user(*, user: User) -> Trainee | None:
    return Trainee.objects.select_related("user").filter(user=user).first()


def document_list_for_trainee(*, trainee: Trainee) -> list[Document]:
    return list(trainee.documents.all())


def user_may_see_all_documents(user: User) -> bool:
    """Staff holding the personal-data permission (core.roles: training staff,
    administrators; superusers have it); placement officers do not."""
    return user.is_active and user.is_staff and user.has_perm(PERSONAL_DATA_PERMISSION)


def document_get_for_viewer(*, pk: int, user: User) -> Document:
    """A document its owner or training staff may see; anyone else gets a 404.

    404 rather than 403 so that probing ids tells nothing about who has documents.
    """
    documents = Document.objects.select_related("trainee__user")
    if not user_may_see_all_documents(user):
        documents = documents.filter(trainee__user=user)
    return get_object_or_404(documents, pk=pk)


def document_get_for_owner(*, pk: int, user: User) -> Document:
    """A document of the person asking (to replace or delete it); else 404."""
    return get_object_or_404(Document, pk=pk, trainee__user=user)


def trainee_search(queryset: QuerySet, term: str) -> QuerySet:
    """The job seekers of `queryset` found by the staff's search box: every word in the
    account's name, e-mail or mobile number, or the whole NIK, as the admin's
    `search_fields` would find them. The words are looked up among the accounts first
    (indexed; `user_ids_found`), where a join tested every job seeker's row against each
    pattern."""
    for word in search_words(term):
        match = Q(user_id__in=user_ids_found(word))
        if word.isdigit():  # a NIK is 16 digits: no other word can equal one
            match |= Q(nik=word)
        queryset = queryset.filter(match)
    return queryset
