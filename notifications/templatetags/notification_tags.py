"""Template helpers for e-mails: `{% load notification_tags %}`."""

from django import template
from django.conf import settings

from notifications.links import HiddenLink

register = template.Library()


@register.filter
def absolute(path) -> str:
    """Make a site path absolute with SITE_URL ("/x/" -> "https://stc.../x/")."""
    if isinstance(path, HiddenLink):  # the staff preview's placeholder for a secret link
        return path
    path = str(path or "")
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return settings.SITE_URL + path


@register.filter
def deadline(value) -> str:
    """A deadline as people in Batang read it: "20 Desember 2026, 23.59 WIB" for a moment,
    the date alone for a day. The portal's time zone is WIB (Asia/Jakarta)."""
    import datetime

    from django.utils import formats, timezone

    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        day = formats.date_format(moment, "DATE_FORMAT")
        return f"{day}, {formats.time_format(moment, 'TIME_FORMAT')} WIB"
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return "" if value is None else str(value)
