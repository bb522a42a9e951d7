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

Configuration: `SMS_URL` (README "Configuration"), read in settings into `settings.SMS`.
A message is counted in parts as the phone network carries it: GSM-7 text fits 160
characters in one SMS (153 per part when longer), anything outside GSM-7 (emoji, ā, 語)
makes it UCS-2, 70 characters (67 per part). Each part costs one SMS.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import httpx
from django.conf import settings

from .providers import ProviderBackend, ProviderError, http_client, http_client_discard

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


class ZenzivaBackend(ProviderBackend):
    """Send SMS through Zenziva's console API over the process's kept-alive client
    (`providers.http_client`); a transport error discards it."""

    client: httpx.Client | None = None

    def open(self) -> None:
        if self.client is None:
            self.client = http_client(
                base_url=self.config["base_url"], timeout=settings.SMS_TIMEOUT
            )

    def close(self) -> None:
        self.client = None  # the connection stays open for the next batch

    def send(self, message) -> str:
        self.open()
        product = "masking" if self.config.get("sender") else "reguler"
        form = {
            "userkey": self.config["userkey"],
            "passkey": self.config["passkey"],
            "to": message.to.lstrip("+"),
            "message": message.text,
        }
        try:
            response = self.client.post(f"/{product}/api/sendsms/", data=form)
        except httpx.HTTPError as exc:
            http_client_discard(self.client)
            self.client = None
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
