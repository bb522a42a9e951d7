"""A person's channels as staff read them on the admin pages (accounts, trainees)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.formatting import format_moment

from .kinds import Channel
from .selectors import contact_overview


def contact_overview_html(user) -> str:
    """The WhatsApp opt-in, then each channel: ★ if chosen, the last message and its state."""
    if user is None or user.pk is None:
        return "-"
    overview = contact_overview(user=user)
    rows = []
    for channel in Channel:
        last = overview["last"][channel.value]
        if last is None:
            what = _("nothing sent yet")
        else:
            status = last.provider_status or last.get_state_display()
            when = format_moment(last.sent_at or last.created_at, short=True)
            what = f"{last.get_kind_display()} — {status} — {when}"
        star = "★ " if channel.value == overview["preferred"] else ""
        rows.append((star, channel.label, what))
    return format_html(
        "{}: {}<br>{}",
        _("WhatsApp opt-in"),
        _("yes") if overview["whatsapp_opted_in"] else _("no"),
        format_html_join(mark_safe("<br>"), "{}{}: {}", rows),  # noqa: S308 - a constant
    )
