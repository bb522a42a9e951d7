"""The frame's header and footer, rendered once per process for each kind of visitor.

Every page's frame reverses a dozen URLs and translates a dozen strings for the header and
the footer; on a signed-in person's cached page that was a quarter of the request
(profiled: URL reversing alone the largest single cost). What they show depends only on
the language, the kind of account (anonymous, job seeker, trainer, employer, staff) and
the path the language switcher returns to, none of which changes while a process runs:
`{% frame_header %}` and `{% frame_footer %}` render the partials for such a key once and
keep them in a bounded per-process table. The CSRF token (the log-out and language forms)
is a placeholder in the table and this request's token in the answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.fragments import CSRF_PLACEHOLDER, page_token

register = template.Library()

_TOKEN = CSRF_PLACEHOLDER
_MAX_ENTRIES = 2048  # paths × languages × kinds of visitor; the oldest entry goes first
_rendered: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()  # the test server answers from several threads


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    """A test that overrides settings (URLs, languages) must not get another's frame."""
    with _lock:
        _rendered.clear()


def _visitor(user) -> tuple:
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    return (user.role, bool(user.is_staff))


def _frame_part(context, template_name: str, *, by_path: bool):
    request = context.get("request")
    user = context.get("user")
    path = request.get_full_path() if (request is not None and by_path) else ""
    key = (template_name, get_language(), _visitor(user), path)
    with _lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
    if html is None:
        flat = context.flatten()
        flat["csrf_token"] = _TOKEN
        html = render_to_string(template_name, flat)
        with _lock:
            _rendered[key] = html
            if len(_rendered) > _MAX_ENTRIES:
                _rendered.popitem(last=False)
    if _TOKEN in html and request is not None:
        html = html.replace(_TOKEN, page_token(request))
    return mark_safe(html)  # noqa: S308 - our own template, autoescaped when rendered


@register.simple_tag(takes_context=True)
def frame_header(context):
    return _frame_part(context, "partials/header.html", by_path=True)


@register.simple_tag(takes_context=True)
def frame_footer(context):
    return _frame_part(context, "partials/footer.html", by_path=False)
