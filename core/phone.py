"""Indonesian phone numbers, parsed with `phonenumbers` and stored in E.164 (+62…).

One place for the portal's phone rules: the sign-up and profile forms normalise with
`phone_normalize`, the outbox asks `phone_is_mobile` before it sends a WhatsApp message
or an SMS (a landline receives neither).
"""

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

REGION = "ID"
# What people type between the digits: spaces, dots, dashes, brackets, a slash.
_SEPARATORS = re.compile(r"[\s.\-()/]")
_TYPED = re.compile(r"^\+?\d+$")
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _parse(value: str | None) -> phonenumbers.PhoneNumber | None:
    raw = _SEPARATORS.sub("", value or "")
    if not raw.isascii() or not _TYPED.match(raw):
        # phonenumbers reads letters as keypad digits (0812-ABC-…): refuse them.
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]  # the international prefix typed as 00
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.region_code_for_number(number) != REGION:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return number


def phone_normalize(value: str | None) -> str | None:
    """Return the E.164 form (+62…) of an Indonesian number, or None if it is not one.

    Accepts 0812-3456-7890, 0812 3456 7890, +62 812 3456 7890, 62812…, 0062812…, 812…,
    and landlines with their area code ("(0285) 391234", Batang/Pekalongan).
    """
    number = _parse(value)
    if number is None:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def phone_is_mobile(value: str | None) -> bool:
    """Tell whether the number is an Indonesian mobile number (WhatsApp and SMS reach it)."""
    number = _parse(value)
    return number is not None and phonenumbers.number_type(number) in _MOBILE_TYPES


def phone_display(value: str | None) -> str:
    """The number as Indonesians write it (0812-3456-7890), for pages and messages."""
    number = _parse(value)
    if number is None:
        return value or ""
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def phone_links(value: str | None) -> dict[str, str]:
    """Tap-to-call and WhatsApp chat links for a number, for people who shared it.

    `tel` (tel:+62…) for any Indonesian number; `whatsapp` (https://wa.me/62…, the digits
    only, as WhatsApp's click-to-chat wants) for a mobile number only. Empty dict when the
    value is not an Indonesian number.
    """
    e164 = phone_normalize(value)
    if not e164:
        return {}
    links = {"display": phone_display(e164), "tel": f"tel:{e164}"}
    if phone_is_mobile(e164):
        links["whatsapp"] = f"https://wa.me/{e164.removeprefix('+')}"
    return links
