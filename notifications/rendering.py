"""Turn an outbox row into its message on its channel, in the recipient's language."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from .context import context_decode
from .kinds import UNSUBSCRIBABLE, Channel
from .links import HiddenLink, hidden_link, secret_links_hidden, secret_links_make
from .models import Notification
from .templates_whatsapp import META_LANGUAGE, short_message_for

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token_make(*, user_id: int, kind: str) -> str:
    """Sign (user, kind) for the one-click unsubscribe link; it does not expire."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_path(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token_make(user_id=user_id, kind=kind)
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def notification_template_context(*, notification: Notification, preview: bool = False) -> dict:
    """Build the template context; call with the recipient's language active.

    Secret links (see `notifications.links`) are made now, with fresh tokens; for the
    staff preview (`preview=True`) they are placeholders, as is the unsubscribe link.
    """
    context = context_decode(notification.context)
    recipient = notification.recipient
    context.setdefault("name", recipient.full_name if recipient else "")
    context["site_url"] = settings.SITE_URL
    context["kind"] = notification.kind
    if preview:
        context.update(secret_links_hidden(notification))
    else:
        context.update(secret_links_make(notification))
    if notification.kind in UNSUBSCRIBABLE and notification.recipient_id:
        context["unsubscribe_url"] = (
            hidden_link()
            if preview
            else unsubscribe_path(user_id=notification.recipient_id, kind=notification.kind)
        )
    return context


def notification_message_build(
    *, notification: Notification, connection=None, preview: bool = False
) -> EmailMultiAlternatives:
    """Render subject, text and HTML of the row in its language and build the message.

    `preview=True` (the staff mail log) renders it with every secret link hidden.
    """
    base = f"emails/{notification.kind}"
    with translation.override(notification.language), timezone.override(settings.TIME_ZONE):
        context = notification_template_context(notification=notification, preview=preview)
        subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    # The outbox row's id: an operator (or `make faults`) can tell a mail delivered twice
    # from two mails, and find the row of a mail someone received.
    headers = {"X-Notification-Kind": notification.kind, "X-Notification-Id": str(notification.pk)}
    if "unsubscribe_url" in context and not preview:
        # RFC 8058: mail clients show their own "unsubscribe" button and POST here.
        url = settings.SITE_URL + context["unsubscribe_url"]
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass(frozen=True)
class ShortMessage:
    """A WhatsApp template message or an SMS, ready for its channel's backend."""

    channel: str
    to: str  # E.164
    kind: str
    template: str
    language: str  # Meta's language code
    parameters: tuple[str, ...]
    text: str  # the filled-in body: the SMS itself, the template's text for WhatsApp
    copy_code: bool = False  # an authentication template: parameters[0] fills its button


def _short_value(key: str, value) -> str:
    if isinstance(value, HiddenLink):
        return str(value)
    if isinstance(value, datetime.datetime):
        # Every moment a person must act by says its time zone.
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") + " WIB"
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Promise):
        return str(value)
    if key.startswith("url") and isinstance(value, str) and value:
        if value.startswith(("http://", "https://")):
            return value
        return settings.SITE_URL + (value if value.startswith("/") else "/" + value)
    return "" if value is None else str(value)


def notification_short_message_build(
    *, notification: Notification, preview: bool = False
) -> ShortMessage:
    """Fill the kind's WhatsApp template / SMS text (templates_whatsapp) for this row."""
    with translation.override(notification.language), timezone.override(settings.TIME_ZONE):
        context = notification_template_context(notification=notification, preview=preview)
        declared = short_message_for(notification.kind, context)
        if declared is None:
            raise LookupError(f"{notification.kind}: no WhatsApp/SMS message declared")
        values = {key: _short_value(key, context.get(key)) for key in declared.parameters}
        text = str(declared.text) % values
    return ShortMessage(
        channel=notification.channel,
        to=notification.address,
        kind=notification.kind,
        template=declared.template,
        language=META_LANGUAGE.get(notification.language, "id"),
        parameters=tuple(values[key] for key in declared.parameters),
        text=text,
        # Meta's authentication templates repeat the code in a "copy code" button.
        copy_code=declared.category == "AUTHENTICATION",
    )


def notification_channel_message_build(*, notification: Notification, preview: bool = False):
    """The row's message on its channel: an e-mail, or a WhatsApp template / SMS."""
    if notification.channel == Channel.EMAIL:
        return notification_message_build(notification=notification, preview=preview)
    return notification_short_message_build(notification=notification, preview=preview)
