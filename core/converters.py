"""Strict path converters for codes and signed tokens in URLs.

`<str:...>` accepts any character but "/", NUL included, and PostgreSQL refuses a NUL
in a query (a 500). These accept only what a real code or token contains, so anything
else is a 404 before a view runs.
"""

from django.urls import register_converter


class CodeConverter:
    """Cohort and certificate codes: letters, digits, dots and dashes (MKT-2026-03)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9.\-]{0,39}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TokenConverter(CodeConverter):
    """Signed tokens (django.core.signing): URL-safe base64, ":" and "." separators."""

    regex = r"[A-Za-z0-9_\-:.]{1,400}"


class SlugWordConverter(CodeConverter):
    """A lower-case word from a fixed set (a pipeline status such as "interview")."""

    regex = r"[a-z_]{1,32}"


def converters_register() -> None:
    register_converter(CodeConverter, "code")
    register_converter(TokenConverter, "token")
    register_converter(SlugWordConverter, "word")
