"""Indonesian phone numbers, normalised to +62… so staff can call or WhatsApp them."""

import re

# Significant number after the country code: mobile 8xx (9–12 digits) or a landline
# with its area code (e.g. 285 for Batang/Pekalongan), 8–11 digits.
_SIGNIFICANT = re.compile(r"^[1-9]\d{7,11}$")


def phone_normalize(value: str | None) -> str | None:
    """Return `+62…` for 0812-3456-7890, +62 812 3456 7890, 62812…, 812…; None if not a number.

    Spaces, dots, dashes and brackets are ignored: "(0285) 391234" is a Batang landline.
    """
    raw = re.sub(r"[\s.\-()]", "", value or "")
    if raw.startswith("+"):
        if not raw.startswith("+62"):
            return None
        digits = raw[3:]
    elif raw.startswith("0062"):
        digits = raw[4:]
    elif raw.startswith("62"):
        digits = raw[2:]
    elif raw.startswith("0"):
        digits = raw[1:]
    else:
        digits = raw
    if not digits.isascii() or not _SIGNIFICANT.match(digits):
        return None
    return "+62" + digits
