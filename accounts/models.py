"""The portal's user: an e-mail or a mobile number is the login, a role decides what the
person may do.

A job seeker may have no e-mail (walk-ins, SMA/SMK graduates who never read one): their
`email` is NULL and their mobile number (E.164, unique when present) is how they log in.
Employers and staff always have an e-mail.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import actor_field, owner_field
from core.phone import phone_display, phone_normalize


class UserManager(BaseUserManager):
    use_in_migrations = True

    @staticmethod
    def normalize_email(email):
        # The whole address is case-insensitive for us: one account per mailbox.
        return (email or "").strip().lower()

    @classmethod
    def normalize_login(cls, value) -> str:
        """The one form of what a person logs in with: a mobile number in E.164 when the
        value reads as an Indonesian number, else the e-mail in lower case.

        The backend, django-axes and the per-account pause all key on this form, so
        "0812 3456 7890" and "+62 812-3456-7890" are the same account everywhere.
        """
        raw = str(value or "").strip()
        if raw and "@" not in raw:
            number = phone_normalize(raw)
            if number:
                return number
        return cls.normalize_email(raw)

    def get_by_login(self, value):
        """The account that logs in with `value` (e-mail or mobile number)."""
        login = self.normalize_login(value)
        if not login:
            raise self.model.DoesNotExist
        if login.startswith("+"):
            return self.get(phone=login)
        return self.get(email=login)

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email) or None
        role = extra_fields.get("role", User.Role.JOB_SEEKER)
        if not email and not (role == User.Role.JOB_SEEKER and extra_fields.get("phone")):
            # Only a job seeker may go without an e-mail, and then a number is the login.
            raise ValueError("An e-mail address (or a job seeker's mobile number) is required")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.STAFF)
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        JOB_SEEKER = "job_seeker", _("Job seeker")
        EMPLOYER = "employer", _("Employer")
        STAFF = "staff", _("Training-center staff")
        # An instructor: no admin access; takes attendance of the intakes assigned to them.
        TRAINER = "trainer", _("Trainer")

    # NULL for a job seeker who has none (NULLs never collide in a unique column); unique
    # whatever the case when present, since the check below keeps it in lower case. A plain
    # unique column, not an index on Lower(email): upserts (ON CONFLICT (email)) need it.
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Stored normalised to +62… (see core.phone); blank for accounts without one, unique
    # when present (it is a login).
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.JOB_SEEKER, db_index=True
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of the e-mails this person receives."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Verification never blocks anything: it tells staff the mailbox is real. Set by the
    # link in the verification e-mail (verified_by empty) or by a staff member by hand.
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    email_verified_by = actor_field(_("e-mail verified by"))

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="accounts_user_email_lowercase"
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="accounts_user_phone_unique",
                violation_error_message=_("An account with this mobile number already exists."),
            ),
        ]

    def __str__(self):
        return self.get_full_name()

    def clean(self):
        super().clean()
        self.email = UserManager.normalize_email(self.email) or None
        if not self.email and (self.role != self.Role.JOB_SEEKER or not self.phone):
            raise ValidationError(
                {"email": _("An e-mail address or a mobile number is required.")}
                if self.role == self.Role.JOB_SEEKER
                else {"email": _("An e-mail address is required.")}
            )

    def save(self, *args, **kwargs):
        # "" would collide in the unique constraint: an account without e-mail holds NULL.
        if not self.email:
            self.email = None
        super().save(*args, **kwargs)

    def get_session_auth_hash(self):
        # A row from the cache (accounts.user_cache) comes without the password's hash,
        # with the session hash made from it instead; reading the password loads it.
        cached = self.__dict__.get("_cached_session_auth_hash")
        if cached is not None and "password" in self.get_deferred_fields():
            return cached
        return super().get_session_auth_hash()

    @property
    def login_identifier(self) -> str:
        """What the person logs in with: the e-mail, else the mobile number."""
        return self.email or self.phone

    def get_full_name(self):
        return self.full_name or self.email or phone_display(self.phone) or f"#{self.pk}"

    def get_short_name(self):
        return self.get_full_name().split()[0]

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_job_seeker(self) -> bool:
        return self.role == self.Role.JOB_SEEKER

    @property
    def is_employer(self) -> bool:
        return self.role == self.Role.EMPLOYER

    @property
    def is_trainer(self) -> bool:
        return self.role == self.Role.TRAINER

    @property
    def is_training_staff(self) -> bool:
        return self.role == self.Role.STAFF and self.is_staff


class OneTimeCode(models.Model):
    """A six-digit code sent by WhatsApp, SMS or e-mail (accounts.codes).

    The code itself is never stored: it is HMAC-SHA256(SECRET_KEY, `secret`) reduced to
    six digits, computed when the message is sent and again when the person types it.
    The database alone (a backup, the admin) cannot give it, and every channel of one
    request (WhatsApp, then SMS as a fallback) carries the same code.
    """

    class Purpose(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("password reset")
        FIRST_LOGIN = "first_login", _("first log-in")
        LOGIN = "login", _("log-in")

    user = owner_field(_("user"), related_name="one_time_codes")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # Random, 32 bytes as hex; the code is derived from it with the secret key.
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    # Wrong codes typed for it; at accounts.codes.MAX_ATTEMPTS it stops working.
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_otc_user_recent")]

    def __str__(self):
        return f"{self.get_purpose_display()} #{self.pk}"
