"""WhatsApp Business Cloud API (Meta Graph API): template messages and the webhook's checks.

Sending: `POST {base_url}/{phone_number_id}/messages` with `Authorization: Bearer <token>`
and a template message (name, language, body parameters); the answer's
`messages[0].id` (a `wamid.…`) is the provider id the status webhooks refer to.

Errors (Graph API: `{"error": {"code": …, "message": …, "error_data": {"details": …}}}`):
- rate limits (HTTP 429; codes 4, 80007, 130429, 131048, 131056, and 131047 — Meta's
  "re-engagement" refusal, which a later attempt may pass) → retry later;
- 131026, the message is undeliverable (not a WhatsApp user, old app) → fall back;
- 132000–132016, the template is missing, paused, disabled or its parameters do not fit
  → fail with the reason (staff fix the template at Meta, then send again);
- HTTP 5xx, a refused connection, a connect time-out → retry;
- a read time-out or a dropped connection after the request was sent → delivery unknown
  (Meta may have accepted it; never sent twice by itself).

Configuration: `WHATSAPP_URL` (README "Configuration"), read in settings into
`settings.WHATSAPP` = {base_url, phone_number_id, token, app_secret, verify_token}.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
from django.conf import settings

from .providers import HttpProviderBackend, ProviderError

RATE_LIMIT_CODES = {"4", "80007", "130429", "131047", "131048", "131056"}
UNDELIVERABLE_CODES = {"131026"}
TEMPLATE_CODES = {"132000", "132001", "132005", "132007", "132012", "132015", "132016"}


def _error_of(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return "", response.text[:200]
    details = (error.get("error_data") or {}).get("details") or ""
    message = error.get("message") or ""
    return str(error.get("code") or ""), f"{message} {details}".strip()[:300]


def response_error(response: httpx.Response) -> ProviderError:
    """Map a refused request to a ProviderError (see the module docstring)."""
    code, text = _error_of(response)
    reason = f"WhatsApp {response.status_code} ({code or '-'}): {text}"
    if response.status_code == 429 or code in RATE_LIMIT_CODES:
        return ProviderError(reason, code=code, transient=True)
    if code in UNDELIVERABLE_CODES:
        return ProviderError(reason, code=code, undeliverable=True)
    if code in TEMPLATE_CODES:
        return ProviderError(reason, code=code)
    if response.status_code >= 500:
        return ProviderError(reason, code=code, transient=True)
    return ProviderError(reason, code=code)


def transport_error(exc: httpx.HTTPError) -> ProviderError:
    """Map a network failure: nothing sent → retry; sent without an answer → unknown."""
    reason = f"WhatsApp: {type(exc).__name__}: {exc}"
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return ProviderError(reason, transient=True)
    # ReadTimeout, WriteTimeout, RemoteProtocolError (dropped without a reply), …
    return ProviderError(reason, uncertain=True)


def template_payload(message) -> dict:
    """The Graph API body of a template message.

    An authentication template (`copy_code`) also takes the code as the parameter of its
    "copy code" button (Meta models it as a URL button with index 0).
    """
    components = [
        {
            "type": "body",
            "parameters": [{"type": "text", "text": value} for value in message.parameters],
        }
    ]
    if getattr(message, "copy_code", False):
        components.append(
            {
                "type": "button",
                "sub_type": "url",
                "index": "0",
                "parameters": [{"type": "text", "text": message.parameters[0]}],
            }
        )
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": message.to.lstrip("+"),
        "type": "template",
        "template": {
            "name": message.template,
            "language": {"code": message.language},
            "components": components,
        },
    }


class CloudAPIBackend(HttpProviderBackend):
    """Send template messages through the Cloud API over the process's kept-alive client."""

    def client_options(self) -> dict:
        return {
            "base_url": self.config["base_url"],
            "headers": {"Authorization": f"Bearer {self.config['token']}"},
            "timeout": settings.WHATSAPP_TIMEOUT,
        }

    def send(self, message) -> str:
        path = f"/{self.config['phone_number_id']}/messages"
        try:
            response = self.post(path, json=template_payload(message))
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        if response.status_code >= 300:
            raise response_error(response)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            # Meta answered 2xx: the message was accepted, but we cannot follow it.
            raise ProviderError(
                f"WhatsApp: accepted without a message id: {response.text[:200]}",
                uncertain=True,
            ) from exc


# --- Webhook -----------------------------------------------------------------------------


def signature_valid(*, body: bytes, header: str, app_secret: str) -> bool:
    """Check `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    # Bytes: compare_digest refuses str with non-ASCII characters (a forged header).
    given = header.removeprefix("sha256=").encode("utf-8", "replace")
    return hmac.compare_digest(given, expected.encode())


def signature_make(*, body: bytes, app_secret: str) -> str:
    """The header value Meta sends (the fake provider of the tests signs with it)."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_parse(body: bytes) -> tuple[list[dict], list[dict]]:
    """Return (statuses, inbound texts) of a webhook body; raise ValueError if not one.

    statuses: {"id", "status", "timestamp", "error_code", "error_title"};
    inbound texts: {"from" (E.164), "text"}.
    """
    payload = json.loads(body)
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise ValueError("not a WhatsApp Business Account webhook")
    statuses, texts = [], []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for status in value.get("statuses") or []:
                errors = status.get("errors") or [{}]
                statuses.append(
                    {
                        "id": str(status["id"]),
                        "status": str(status["status"]),
                        "timestamp": int(status.get("timestamp") or 0),
                        "error_code": str(errors[0].get("code") or ""),
                        "error_title": str(errors[0].get("title") or "")[:300],
                    }
                )
            for message in value.get("messages") or []:
                if message.get("type") == "text":
                    texts.append(
                        {
                            "from": "+" + str(message["from"]).lstrip("+"),
                            "text": str((message.get("text") or {}).get("body") or ""),
                        }
                    )
    return statuses, texts
