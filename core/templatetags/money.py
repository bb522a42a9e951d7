"""Template filters for money: `{% load money %}` then `{{ program.allowance|rupiah }}`."""

from django import template

from core.formatting import format_rupiah

register = template.Library()


@register.filter(is_safe=True)
def rupiah(value):
    """Render an amount as rupiah for the active language: "Rp 2.708.520" / "IDR 2,708,520".

    An empty or non-numeric value renders unchanged (templates should never 500 on data).
    """
    try:
        return format_rupiah(value)
    except (ValueError, TypeError):
        return value
