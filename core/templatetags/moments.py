"""Moments in templates: `{% load moments %}` then `{{ offer.expires_at|wib }}`
("2 Desember 2026, 14.00 WIB") or `{{ run.run_at|wib:"short" }}` ("02/12/2026 14.00 WIB")."""

from django import template

from core.formatting import format_moment

register = template.Library()


@register.filter
def wib(value, style=""):
    """Render a moment in the portal's time zone, with "WIB" after it."""
    try:
        return format_moment(value, short=style == "short")
    except (TypeError, ValueError):
        return value
