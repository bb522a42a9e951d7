"""Store a notification's context as JSON and bring it back for rendering.

The row is written in the caller's language (whatever is active in the request), but the
mail is rendered later in the recipient's. So dates stay dates (formatted at render time)
and lazy translations are stored by their English source text and translated at render.
"""

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise

_DATE = "__date__"
_DATETIME = "__datetime__"
_MSGID = "__msgid__"


class ContextError(ValueError):
    pass


def context_encode(value, path="context"):
    """Turn a context into JSON-safe data, tagging dates and lazy translations."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        # Source strings are English: under "en" a lazy string evaluates to its msgid.
        with translation.override("en"):
            return {_MSGID: str(value)}
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise ContextError(f"{path}: keys must be strings, got {key!r}")
        return {key: context_encode(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [context_encode(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise ContextError(
        f"{path}: {type(value).__name__} is not allowed in a notification context "
        "(pass ids, strings, numbers, dates, lists and dicts)"
    )


def context_decode(value):
    """Inverse of `context_encode`; call it with the recipient's language active."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, item),) = value.items()
            if key == _MSGID:
                return translation.gettext(item)
            if key == _DATETIME:
                return parse_datetime(item)
            if key == _DATE:
                return parse_date(item)
        return {key: context_decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [context_decode(item) for item in value]
    return value
