"""Links that work without a login are made when the message is sent, never stored.

A password-reset, e-mail verification, tracer or unsubscribe link carries a token that
*is* the key to an account or an answer. Such a token must never sit in an outbox row
(staff read the mail log) or in a log line: the row holds only references (the
recipient, a survey id), and the app that owns the link registers a *maker* that turns
the row into the link's context keys at send time. Sending a row again makes a new token.

    # in an app's AppConfig.ready()
    secret_link_register(Kind.ACCOUNT_PASSWORD_RESET, password_reset_links)

    def password_reset_links(notification) -> dict[str, str]:
        return {"url": reverse("password_reset_confirm", kwargs={...})}

The staff preview renders the same templates with `secret_links_hidden(...)` instead:
every secret key shows as a placeholder, so staff see *that* a link was sent, not the link.
One-time codes (key `code`, accounts.codes) take the same path: made from their row at
send time, never in the outbox, a placeholder in the preview.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from .kinds import SECRET_LINK_KEYS

LinkMaker = Callable[[object], dict[str, str]]

_MAKERS: dict[str, LinkMaker] = {}


class SecretLinkUnavailable(Exception):
    """The link cannot be made (its recipient or subject is gone): the row fails."""


class HiddenLink(str):
    """A placeholder for a secret link in the staff preview (`absolute` leaves it as is)."""

    __slots__ = ()


def secret_link_register(kind: str, maker: LinkMaker) -> None:
    """Declare the function that makes `kind`'s secret links at send time."""
    if kind not in SECRET_LINK_KEYS:
        raise ValueError(f"{kind}: declare its secret keys in notifications.kinds first")
    _MAKERS[str(kind)] = maker


def secret_links_make(notification) -> dict[str, str]:
    """The secret context keys of a row, made now (fresh tokens); {} for other kinds."""
    keys = SECRET_LINK_KEYS.get(notification.kind)
    if not keys:
        return {}
    maker = _MAKERS.get(notification.kind)
    if maker is None:
        raise SecretLinkUnavailable(f"{notification.kind}: no link maker registered")
    links = maker(notification)
    missing = set(keys) - set(links)
    if missing:
        raise SecretLinkUnavailable(f"{notification.kind}: the maker gave no {sorted(missing)}")
    return {key: links[key] for key in keys}


def hidden_link() -> HiddenLink:
    """The placeholder the staff preview shows instead of a private link."""
    return HiddenLink(_("[private link, made when the message is sent]"))


def hidden_code() -> HiddenLink:
    """The placeholder the staff preview shows instead of a one-time code."""
    return HiddenLink(_("[one-time code, made when the message is sent]"))


def secret_links_hidden(notification) -> dict[str, HiddenLink]:
    """Placeholders for the secret keys, for the staff preview; {} for other kinds."""
    return {
        key: hidden_code() if key == "code" else hidden_link()
        for key in SECRET_LINK_KEYS.get(notification.kind, ())
    }
