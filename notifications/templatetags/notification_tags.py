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
