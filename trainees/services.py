"""Writes of the trainees app: sign-up, e-mail verification, profile, documents.

Public functions are the entry points of views and admin actions: keyword-only,
`transaction.atomic(durable=True)`, check first, then write, then queue the e-mail.
"""

import logging
import uuid
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import AccountError
from accounts.models import User
from accounts.services import account_create
from notifications.contacts import (
    contact_optin_record,
    contact_optout_record,
    contact_preference_set,
)
from notifications.models import ChannelConsent
from notifications.services import notification_queue

from . import nik as nik_rules
from .documents import document_check
from .errors import TraineeError
from .models import Document, Trainee
from .previews import document_preview_forget, preview_key
from .regions import domicile_in_batang

logger = logging.getLogger(__name__)

VERIFY_SALT = "trainees.verify-email"
VERIFY_MAX_AGE = timedelta(days=7)
RESEND_COOLDOWN_SECONDS = 60

# The person's schooling and work (one group of the profile, in form order).
EDUCATION_AND_WORK_FIELDS = (
    "education_level",
    "major",
    "school",
    "graduation_year",
    "work_experience_years",
    "current_activity",
    "disability",
)
# Profile fields the person (or staff for a walk-in) may set, in form order.
PROFILE_FIELDS = (
    "nik",
    "birth_date",
    "gender",
    "address",
    "regency",
    "kecamatan",
    *EDUCATION_AND_WORK_FIELDS,
    "ak1_number",
    "karirhub_id",
)


# --- Sign-up ---------------------------------------------------------------------------


def _email_taken_error() -> TraineeError:
    return TraineeError(
        TraineeError.EMAIL_TAKEN,
        _(
            "An account with this e-mail address already exists. Log in, or reset the "
            "password if you forgot it."
        ),
    )


def _register(
    *,
    email: str | None,
    password: str | None,
    full_name: str,
    phone: str,
    language: str,
    registered_by: User | None,
    whatsapp_optin: bool = False,
) -> Trainee:
    try:
        user = account_create(
            email=email,
            password=password,  # None -> unusable password (walk-in: set with a first-login code)
            full_name=full_name,
            role=User.Role.JOB_SEEKER,
            phone=phone,
            language=language,
        )
    except AccountError as exc:
        if exc.code == AccountError.PHONE_TAKEN:
            raise TraineeError(TraineeError.PHONE_TAKEN, exc.message) from exc
        if exc.code == AccountError.NO_LOGIN:
            raise TraineeError(TraineeError.LOGIN_REQUIRED, exc.message) from exc
        raise _email_taken_error() from exc
    trainee = Trainee.objects.create(user=user, registered_by=registered_by)
    if whatsapp_optin:
        contact_optin_record(
            user=user,
            how=ChannelConsent.How.STAFF_WALK_IN if registered_by else ChannelConsent.How.SIGNUP,
            actor=registered_by,
        )
    if user.email:
        _queue_verification_email(user, dedup_key=f"account.verify_email:{user.pk}:signup")
    return trainee


def trainee_register(
    *,
    email: str,
    password: str,
    full_name: str,
    phone: str,
    language: str = "id",
    whatsapp_optin: bool = False,
) -> Trainee:
    """Create a job seeker's account and empty profile, and send the verification link.

    `whatsapp_optin`: the sign-up checkbox, recorded as the person's WhatsApp consent.

    Nothing waits for the verification: the person is logged in by the view and can
    fill the profile and apply at once.
    """
    with transaction.atomic(durable=True):
        return _register(
            email=email,
            password=password,
            full_name=full_name,
            phone=phone,
            language=language,
            registered_by=None,
            whatsapp_optin=whatsapp_optin,
        )


def trainee_register_walk_in(
    *,
    staff: User,
    email: str,
    full_name: str,
    phone: str,
    language: str = "id",
    profile: dict,
    consent: bool,
    whatsapp_optin: bool = False,
) -> Trainee:
    """Register a walk-in applicant at the office: account, profile, who registered it.

    The account gets no usable password: nobody tells the person one. The view then sends
    them a first-login code (accounts.codes.first_login_code_send) by WhatsApp, SMS or
    e-mail, with which they choose it. `whatsapp_optin`: the person agreed, at the desk, to WhatsApp messages (recorded
    with the staff member).
    """
    with transaction.atomic(durable=True):
        trainee = _register(
            email=email,
            password=None,
            full_name=full_name,
            phone=phone,
            language=language,
            registered_by=staff,
            whatsapp_optin=whatsapp_optin,
        )
        _profile_apply(trainee=trainee, profile=profile, consent=consent)
        return trainee


def trainee_ensure(*, user: User) -> Trainee:
    """Return the job seeker profile of an account, creating an empty one if missing.

    Accounts made in the admin have no profile yet; staff and employers never get one.
    """
    if not user.is_job_seeker:
        raise TraineeError(
            TraineeError.NOT_A_JOB_SEEKER, _("Only job seeker accounts have a profile.")
        )
    trainee = Trainee.objects.filter(user=user).select_related("user").first()
    if trainee is not None:
        return trainee
    with transaction.atomic():
        trainee, _created = Trainee.objects.get_or_create(user=user)
    return trainee


# --- E-mail verification -----------------------------------------------------------------


def email_verification_token(user: User, *, email: str | None = None) -> str:
    """The signed token of a verification link for `email` (default: the account's).

    The address is signed too: a link sent to an old address cannot verify a new one.
    Made when the mail is sent (`trainees.links`), never stored.
    """
    address = user.email if email is None else email
    return signing.dumps({"u": user.pk, "e": address}, salt=VERIFY_SALT, compress=True)


def email_verification_path(user: User, *, email: str | None = None) -> str:
    # A path: the outbox's templates make links absolute with SITE_URL.
    return reverse("trainees:verify-email", args=[email_verification_token(user, email=email)])


def _queue_verification_email(user: User, *, dedup_key: str) -> None:
    notification_queue(
        kind="account.verify_email",
        # The link itself is made when the mail is sent (trainees.links): no token is
        # stored where staff could read it.
        context={"valid_days": VERIFY_MAX_AGE.days},
        dedup_key=dedup_key,
        recipient=user,
    )


def email_verification_resend(*, user: User) -> None:
    """Send a new verification link, at most once per cool-down period."""
    if User.objects.filter(pk=user.pk, email_verified_at__isnull=False).exists():
        raise TraineeError(TraineeError.ALREADY_VERIFIED, _("Your e-mail address is verified."))
    if not user.email:
        raise TraineeError(
            TraineeError.LOGIN_REQUIRED, _("Your account has no e-mail address to verify.")
        )
    # cache.add is atomic: of two clicks in the same minute, only the first sends.
    if not cache.add(f"trainees:verify-resend:{user.pk}", 1, timeout=RESEND_COOLDOWN_SECONDS):
        raise TraineeError(
            TraineeError.RESEND_TOO_SOON,
            _("We just sent a link. Wait a minute before asking for another one."),
        )
    with transaction.atomic(durable=True):
        _queue_verification_email(
            user, dedup_key=f"account.verify_email:{user.pk}:{uuid.uuid4().hex}"
        )


def email_verify(*, token: str) -> User:
    """Mark the address in a verification link as verified; the same link twice is fine."""
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TraineeError(
            TraineeError.TOKEN_EXPIRED,
            _("This link has expired. Log in and ask for a new one on your profile page."),
        ) from exc
    except signing.BadSignature as exc:
        raise TraineeError(
            TraineeError.TOKEN_INVALID, _("This verification link is not valid.")
        ) from exc
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
        if user is None or user.email != payload.get("e"):
            raise TraineeError(
                TraineeError.TOKEN_INVALID, _("This verification link is not valid.")
            )
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.email_verified_by = None
            user.save(update_fields=["email_verified_at", "email_verified_by"])
        return user


def email_mark_verified(*, user: User, actor: User) -> bool:
    """Staff confirm an address by hand (e.g. the person showed the mail at the desk).

    Return False when it was already verified.
    """
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.email_verified_at is not None:
            return False
        user.email_verified_at = timezone.now()
        user.email_verified_by = actor
        user.save(update_fields=["email_verified_at", "email_verified_by"])
        return True


# --- Profile ---------------------------------------------------------------------------


def _nik_taken_error() -> TraineeError:
    return TraineeError(
        TraineeError.NIK_TAKEN,
        _(
            "This NIK is already registered with another account. If that account is "
            "yours, log in with it or reset its password."
        ),
    )


def _profile_apply(*, trainee: Trainee, profile: dict, consent: bool) -> Trainee:
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {sorted(unknown)}")
    for field, value in profile.items():
        setattr(trainee, field, value if value is not None or field in _NULLABLE else "")

    nik_value = nik_rules.nik_normalize(trainee.nik) or None
    trainee.nik = nik_value
    trainee.nik_warnings = []
    if nik_value:
        try:
            facts = nik_rules.nik_parse(nik_value)
        except nik_rules.InvalidNik as exc:
            raise TraineeError(TraineeError.NIK_INVALID, str(exc.message)) from exc
        trainee.nik_warnings = nik_rules.nik_mismatches(
            facts, birth_date=trainee.birth_date, gender=trainee.gender or None
        )
        if Trainee.objects.filter(nik=nik_value).exclude(pk=trainee.pk).exists():
            raise _nik_taken_error()

    # Domicile comes from the address, never from the NIK's region digits.
    trainee.domicile_in_batang = domicile_in_batang(trainee.regency)
    if not trainee.domicile_in_batang:
        trainee.kecamatan = ""

    if consent and trainee.consent_at is None:
        trainee.consent_at = timezone.now()
    elif not consent:
        trainee.consent_at = None

    try:
        with transaction.atomic():
            trainee.save()
    except IntegrityError as exc:
        # Two accounts saving the same NIK at once: the unique constraint decides.
        raise _nik_taken_error() from exc
    return trainee


_NULLABLE = {"nik", "birth_date", "graduation_year", "work_experience_years"}


def trainee_profile_update(
    *,
    trainee: Trainee,
    full_name: str,
    phone: str,
    profile: dict,
    consent: bool,
    whatsapp_optin: bool | None = None,
    channel: str | None = None,
) -> Trainee:
    """Save a job seeker's profile: derive domicile, flag NIK mismatches, record consent.

    `whatsapp_optin` True records an opt-in (how: profile) for the current number, False
    ends an open one; `channel` is the chosen channel ("" for the default rule); None
    leaves either as it is.

    The name and the phone given at sign-up are not blanked (NAME_REQUIRED,
    PHONE_REQUIRED). A NIK that cannot exist is refused (NIK_INVALID), a NIK already used by another
    account too (NIK_TAKEN); a NIK that disagrees with the declared birth date or gender
    is kept and flagged in `nik_warnings` for staff.
    """
    with transaction.atomic(durable=True):
        trainee = Trainee.objects.select_for_update().select_related("user").get(pk=trainee.pk)
        user = trainee.user
        # Sign-up asked for the name and the phone: they may change, never go blank
        # (staff and the messages need them). An account made without one may stay so.
        if user.full_name.strip() and not (full_name or "").strip():
            raise TraineeError(
                TraineeError.NAME_REQUIRED,
                _("Your name cannot be left empty: write it as on your KTP."),
            )
        if user.phone and not phone:
            raise TraineeError(
                TraineeError.PHONE_REQUIRED,
                _("Your phone number cannot be left empty: we use it to reach you."),
            )
        _profile_apply(trainee=trainee, profile=profile, consent=consent)
        user.full_name = full_name.strip()
        user.phone = phone
        user.save(update_fields=["full_name", "phone"])
        How = ChannelConsent.How
        if whatsapp_optin:
            contact_optin_record(user=user, how=How.PROFILE)
        elif whatsapp_optin is not None:
            contact_optout_record(user=user, how=How.PROFILE)
        if channel is not None:
            contact_preference_set(user=user, channel=channel)
        return trainee


# --- Documents ---------------------------------------------------------------------------


def document_upload(*, trainee: Trainee, kind: str, uploaded, actor: User) -> Document:
    """Store an uploaded document under a random name; replace the previous one of its kind.

    The real type is read from the content (PDF, JPEG or PNG only; at most 2 MB stored, a
    larger photo scaled down to fit); what is stored is the sanitised content
    (core.uploads).
    """
    if kind not in Document.Kind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    clean = document_check(uploaded)
    original_name = (getattr(uploaded, "name", "") or "")[-200:]
    new_name = None
    try:
        with transaction.atomic(durable=True):
            # Lock the profile row so two uploads of the same kind serialise.
            Trainee.objects.select_for_update().filter(pk=trainee.pk).first()
            document = Document.objects.filter(trainee=trainee, kind=kind).first()
            old_name = document.file.name if document else None
            if document is None:
                document = Document(trainee=trainee, kind=kind)
            document.content_type = clean.content_type
            document.size = clean.size
            document.original_name = original_name
            document.uploaded_by = actor
            document.uploaded_at = timezone.now()
            # Through the storage API (FileSystemStorage now, a private bucket later).
            # The cleaned bytes, not the upload (re-encoded photo, checked PDF).
            document.file.save(f"upload.{clean.extension}", clean.as_file(), save=False)
            new_name = document.file.name
            document.save()
            storage = document.file.storage
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
                # Its picture is under the old file name: never shown again, dropped now.
                transaction.on_commit(lambda: cache.delete(preview_key(document.pk, old_name)))
    except Exception:
        # The row was not written: do not leave the new file behind as an orphan.
        if new_name:
            Document._meta.get_field("file").storage.delete(new_name)
        raise
    return document


def document_delete(*, document: Document, actor: User) -> None:
    """Remove a document and its file (the file only once the row is gone)."""
    with transaction.atomic(durable=True):
        name = document.file.name
        storage = document.file.storage
        Document.objects.filter(pk=document.pk).delete()
        transaction.on_commit(lambda: storage.delete(name))
    document_preview_forget(document)
    logger.info("document %s (%s) deleted by user %s", document.pk, document.kind, actor.pk)
