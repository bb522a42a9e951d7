"""The short messages of WhatsApp and SMS: one declared place for every kind.

WhatsApp lets a business start a conversation only with a *template* approved by Meta
(README "Registering the WhatsApp templates"). Each kind that `kinds.CHANNELS` sends on
WhatsApp or SMS has one `ShortMessage` here:

- `template`: the template's name at Meta, registered once per language (`id`, `en`);
- `parameters`: the context keys that fill the template's `{{1}}`, `{{2}}`, … in order;
- `text`: the body, English source with `%(key)s` placeholders; its Indonesian
  translation in the catalogue is the Indonesian template's body. The same text, filled
  in, is the SMS and the readable file `make run` writes;
- `category`: Meta's template category, UTILITY for every message about a person's own
  application, training or account (AUTHENTICATION is only for one-time-code templates).

A kind may have variants (`VARIANTS`): another template chosen when a context key is
present, e.g. the interview invitation among the job application's status changes.
`short_message_for(kind, context)` picks the one to send.

Values are shown in the recipient's language: dates and times in the portal's time zone,
paths made absolute with `SITE_URL`, lazy translations translated. Secret links (the
password reset, the tracer's answer page) are made at send time, as for e-mail.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .kinds import CHANNELS, Channel, Kind

# Meta's language codes of the portal's languages.
META_LANGUAGE = {"id": "id", "en": "en"}


@dataclass(frozen=True)
class ShortMessage:
    template: str
    parameters: tuple[str, ...]
    text: Promise
    category: str = "UTILITY"


MESSAGES: dict[str, ShortMessage] = {
    Kind.ACCOUNT_PASSWORD_RESET: ShortMessage(
        "stc_password_reset",
        ("name", "url"),
        _("STC Batang: %(name)s, set a new password here: %(url)s (ignore if it was not you)"),
    ),
    # Meta's fixed wording of an authentication template (body, security line, expiry
    # footer), so the WhatsApp and the SMS read the same; the code also fills the
    # template's "copy code" button (notifications.whatsapp.template_payload).
    Kind.ACCOUNT_ONE_TIME_CODE: ShortMessage(
        "stc_one_time_code",
        ("code",),
        _(
            "%(code)s is your verification code. For your security, do not share this "
            "code. This code expires in 10 minutes. (STC Batang)"
        ),
        category="AUTHENTICATION",
    ),
    Kind.APPLICATION_ACCEPTED: ShortMessage(
        "stc_application_accepted",
        ("name", "program", "cohort", "url"),
        _("STC Batang: %(name)s, you are accepted to %(program)s (%(cohort)s). Details: %(url)s"),
    ),
    Kind.APPLICATION_RESERVE: ShortMessage(
        "stc_application_reserve",
        ("name", "program", "cohort", "url"),
        _(
            "STC Batang: %(name)s, you are on the reserve list of %(program)s (%(cohort)s). "
            "Details: %(url)s"
        ),
    ),
    Kind.APPLICATION_NOT_ACCEPTED: ShortMessage(
        "stc_application_not_accepted",
        ("name", "program", "cohort", "url"),
        _(
            "STC Batang: %(name)s, your application to %(program)s (%(cohort)s) was not "
            "accepted. Details: %(url)s"
        ),
    ),
    Kind.APPLICATION_SEAT_OFFERED: ShortMessage(
        "stc_seat_offered",
        ("name", "program", "cohort", "expires_at", "url"),
        _(
            "STC Batang: %(name)s, a seat in %(program)s (%(cohort)s) is offered to you. "
            "Answer by %(expires_at)s: %(url)s"
        ),
    ),
    Kind.APPLICATION_REREGISTRATION_REMINDER: ShortMessage(
        "stc_reregistration_reminder",
        ("name", "program", "deadline", "url"),
        _(
            "STC Batang: %(name)s, re-register for %(program)s by %(deadline)s or the seat "
            "goes to the next person: %(url)s"
        ),
    ),
    Kind.APPLICATION_WITHDRAWN: ShortMessage(
        "stc_application_withdrawn",
        ("name", "program", "cohort", "url"),
        _(
            "STC Batang: %(name)s, your application to %(program)s (%(cohort)s) is withdrawn. "
            "Details: %(url)s"
        ),
    ),
    # The first-day message, three days before the start.
    Kind.COHORT_START_REMINDER: ShortMessage(
        "stc_cohort_start_reminder",
        ("name", "program", "starts_on", "url"),
        _(
            "STC Batang: %(name)s, your training %(program)s starts on %(starts_on)s. "
            "Where, when and what to bring: %(url)s"
        ),
    ),
    Kind.CERTIFICATE_ISSUED: ShortMessage(
        "stc_certificate_issued",
        ("name", "program", "certificate_number", "url"),
        _(
            "STC Batang: %(name)s, your certificate of %(program)s (%(certificate_number)s) "
            "is ready: %(url)s"
        ),
    ),
    Kind.JOB_APPLICATION_STATUS_CHANGED: ShortMessage(
        "stc_job_application_status",
        ("name", "vacancy", "employer", "status", "url"),
        _(
            "STC Batang: %(name)s, your application for %(vacancy)s at %(employer)s is now: "
            "%(status)s. Details: %(url)s"
        ),
    ),
    Kind.TRACER_SURVEY: ShortMessage(
        "stc_tracer_survey",
        ("name", "program", "url"),
        _("STC Batang: %(name)s, are you working since %(program)s? One tap to answer: %(url)s"),
    ),
    Kind.COVER_ACTIVE: ShortMessage(
        "stc_cover_active",
        ("name", "programmes", "starts_on", "ends_on", "kpj", "phone"),
        _(
            "STC Batang: %(name)s, you are covered by BPJS Ketenagakerjaan (%(programmes)s) "
            "from %(starts_on)s to %(ends_on)s, KPJ %(kpj)s. In case of an accident call "
            "%(phone)s."
        ),
    ),
    Kind.ASSESSMENT_UPDATE: ShortMessage(
        "stc_assessment_update",
        ("name", "scheme", "step", "url"),
        _("STC Batang: %(name)s, competency assessment %(scheme)s: %(step)s. Details: %(url)s"),
    ),
    Kind.CREDENTIAL_EXPIRING: ShortMessage(
        "stc_credential_expiring",
        ("name", "scheme", "number", "expires_on", "url"),
        _(
            "STC Batang: %(name)s, your %(scheme)s (%(number)s) expires on %(expires_on)s. "
            "What renewal needs: %(url)s"
        ),
    ),
    Kind.CREDENTIAL_EXPIRED: ShortMessage(
        "stc_credential_expired",
        ("name", "scheme", "number", "url"),
        _(
            "STC Batang: %(name)s, your %(scheme)s (%(number)s) has expired. The next "
            "refresher: %(url)s"
        ),
    ),
    Kind.PAYEE_CHANGED: ShortMessage(
        "stc_payee_changed",
        ("name", "program", "provider", "account_end", "url"),
        _(
            "STC Batang: %(name)s, your %(program)s allowance now goes to %(provider)s "
            "ending %(account_end)s. Not asked by you? Tell the staff: %(url)s"
        ),
    ),
}

# Variants: kind -> ((context key, message), …); the first whose key the row's context
# holds (with a value) is sent instead of MESSAGES[kind]. Each has its own Meta template.
VARIANTS: dict[str, tuple[tuple[str, ShortMessage], ...]] = {
    # The interview invitation: the status change to "interview" carries when and where.
    Kind.JOB_APPLICATION_STATUS_CHANGED: (
        (
            "interview_at",
            ShortMessage(
                "stc_interview_invitation",
                ("name", "vacancy", "employer", "interview_at", "interview_place", "url"),
                _(
                    "STC Batang: %(name)s, %(employer)s invites you to an interview for "
                    "%(vacancy)s on %(interview_at)s at %(interview_place)s. Details: %(url)s"
                ),
            ),
        ),
    ),
}


def short_message_for(kind: str, context: dict) -> ShortMessage | None:
    """The message to send for this kind and context (a variant, or the kind's own)."""
    for key, message in VARIANTS.get(kind, ()):
        if context.get(key):
            return message
    return MESSAGES.get(kind)


def short_messages_all() -> list[tuple[str, ShortMessage]]:
    """Every (kind, message) to register with Meta: the kinds' own and their variants."""
    listed = list(MESSAGES.items())
    for kind, variants in VARIANTS.items():
        listed += [(kind, message) for _key, message in variants]
    return listed


# Every kind that may leave by WhatsApp or SMS has its short message.
assert {kind for kind, channels in CHANNELS.items() if set(channels) - {Channel.EMAIL}} == set(
    MESSAGES
)
