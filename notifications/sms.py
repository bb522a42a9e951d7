"""SMS through Zenziva (zenziva.id), an Indonesian gateway with a plain HTTP API.

Zenziva's console API, the subset the portal uses:
- send: `POST {base_url}/{product}/api/sendsms/` with form fields `userkey`, `passkey`,
  `to`, `message` → JSON `{"messageId": …, "to": …, "status": "1", "text": "Success"}`;
  `status` "0" with a `text` saying why otherwise. `product` is `reguler` (a shared
  long number) or `masking` (messages show the sender name registered with Zenziva for
  the account; `sender` in SMS_URL selects this route and names it for the staff, the
  API itself takes no sender field);
- balance: `GET {base_url}/api/balance/?userkey=…&passkey=…` → `{"status": "1",
  "balance": "125,000", …}` (rupiah).

Delivery reports: the gateway calls the report URL set in its console,
`{SITE_URL}/webhooks/sms/<report_token>/`, with the message id, the network's status and
optionally an error (as query parameters, a form or JSON; `sms_report_parse`). Zenziva
does not sign these requests, so the secret token in the path is the check (compared in
constant time; a wrong or missing one is refused with 403 and changes nothing). The
statuses are the SMSC's delivery-report states (DELIVRD, UNDELIV, REJECTD, EXPIRED, …)
or their words; `REPORT_STATUS` maps them to the outbox's sent / delivered / failed.
A report is stored once per (message, status): a replay changes nothing.

Configuration: `SMS_URL` (README "Configuration"), read in settings into `settings.SMS`.
A message is counted in parts as the phone network carries it: GSM-7 text fits 160
characters in one SMS (153 per part when longer), anything outside GSM-7 (emoji, ā, 語)
makes it UCS-2, 70 characters (67 per part). Each part costs one SMS.
"""

from __future__ import annotations

import hmac
import math
from decimal import Decimal, InvalidOperation

import httpx
from django.conf import settings

from .providers import HttpProviderBackend, ProviderError

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table: each takes two of the 160.
GSM7_EXTENDED = set("^{}\\[~]|€\f")


def sms_parts(text: str) -> tuple[str, int, int]:
    """Return (encoding, characters counted, parts) of an SMS text."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
        encoding = "GSM-7"
    else:
        # UCS-2 counts UTF-16 code units (an emoji takes two).
        length = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
        encoding = "UCS-2"
    parts = 1 if length <= single else math.ceil(length / multi)
    return encoding, length, parts


# Zenziva's refusals, by the words of its `text` (it has no codes).
_NO_CREDIT = ("saldo", "balance", "credit", "kredit")
_BAD_NUMBER = ("nomor", "number", "tujuan")


def _refusal(text: str) -> ProviderError:
    lowered = text.lower()
    reason = f"SMS refused: {text}"[:300]
    if any(word in lowered for word in _NO_CREDIT):
        # Staff top up the balance; the message waits (until the give-up time).
        return ProviderError(reason, code="no_credit", transient=True)
    if any(word in lowered for word in _BAD_NUMBER):
        return ProviderError(reason, code="bad_number", undeliverable=True)
    return ProviderError(reason, code="refused")


class ZenzivaBackend(HttpProviderBackend):
    """Send SMS through Zenziva's console API over the process's kept-alive client."""

    def client_options(self) -> dict:
        return {"base_url": self.config["base_url"], "timeout": settings.SMS_TIMEOUT}

    def send(self, message) -> str:
        product = "masking" if self.config.get("sender") else "reguler"
        form = {
            "userkey": self.config["userkey"],
            "passkey": self.config["passkey"],
            "to": message.to.lstrip("+"),
            "message": message.text,
        }
        try:
            response = self.post(f"/{product}/api/sendsms/", data=form)
        except httpx.HTTPError as exc:
            if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
                raise ProviderError(f"SMS: {type(exc).__name__}: {exc}", transient=True) from exc
            raise ProviderError(f"SMS: {type(exc).__name__}: {exc}", uncertain=True) from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise ProviderError(f"SMS gateway {response.status_code}", transient=True)
        try:
            data = response.json()
        except ValueError as exc:
            raise ProviderError(
                f"SMS gateway {response.status_code}: {response.text[:200]}", uncertain=True
            ) from exc
        if str(data.get("status")) != "1":
            raise _refusal(str(data.get("text") or response.status_code))
        return str(data.get("messageId") or "")


def sms_balance() -> Decimal | None:
    """The gateway's balance in rupiah, or None without a gateway or when it cannot say."""
    config = settings.SMS
    if not config.get("base_url"):
        return None
    try:
        response = httpx.get(
            config["base_url"] + "/api/balance/",
            params={"userkey": config["userkey"], "passkey": config["passkey"]},
            timeout=settings.SMS_TIMEOUT,
        )
        data = response.json()
        return Decimal(str(data["balance"]).replace(",", "").replace(".", ""))
    except (httpx.HTTPError, ValueError, KeyError, TypeError, InvalidOperation):
        return None


def sms_balance_low(balance: Decimal | None) -> bool:
    """Tell whether staff should top up (the balance is below SMS_BALANCE_ALARM)."""
    return balance is not None and balance < settings.SMS_BALANCE_ALARM


# The gateway's report statuses (SMPP delivery-receipt states and the words gateways use
# for them, any case) -> the outbox's provider status.
REPORT_STATUS = {
    "sent": "sent",
    "acceptd": "sent",
    "accepted": "sent",
    "enroute": "sent",
    "delivrd": "delivered",
    "delivered": "delivered",
    "success": "delivered",
    "undeliv": "failed",
    "undelivered": "failed",
    "rejectd": "failed",
    "rejected": "failed",
    "expired": "failed",
    "failed": "failed",
    "deleted": "failed",
}


def sms_report_token_valid(token: str) -> bool:
    """Check the secret of the report URL (never valid when none is configured)."""
    expected = settings.SMS.get("report_token") or ""
    if not expected or not token:
        return False
    return hmac.compare_digest(token.encode("utf-8", "replace"), expected.encode())


def sms_report_parse(data) -> dict:
    """Read one delivery report: {"id", "status" (outbox's), "error_code", "error_title"}.

    `data` is the request's fields (query, form or JSON object). Raise ValueError when
    there is no message id or the status is not one we know.
    """
    provider_id = str(data.get("messageId") or data.get("message_id") or data.get("id") or "")
    raw = str(data.get("status") or "").strip().lower()
    if not provider_id or raw not in REPORT_STATUS:
        raise ValueError(f"not a delivery report: id {provider_id!r}, status {raw!r}")
    error = str(data.get("error") or data.get("err") or "")[:300]
    return {
        "id": provider_id[:128],
        "status": REPORT_STATUS[raw],
        "error_code": raw.upper() if REPORT_STATUS[raw] == "failed" else "",
        "error_title": error,
    }
