"""A fake WhatsApp Cloud API and Zenziva SMS gateway on loopback, for the tests and bench.

It speaks the subset the portal uses (`notifications/whatsapp.py`, `notifications/sms.py`):

- `POST /v21.0/<phone_number_id>/messages` (Bearer token checked) → `{"messages":
  [{"id": "wamid.…"}]}`; then, when `webhook_url` is set, it POSTs signed status webhooks
  (`sent`, `delivered`, or `failed` with 131026) back to the portal, as Meta does;
- `POST /reguler/api/sendsms/` and `/masking/api/sendsms/` → `{"messageId", "status": "1"}`;
- `GET /api/balance/` → `{"status": "1", "balance": "…"}`;
- when `sms_report_url` is set, each accepted SMS is followed by a delivery report POSTed
  there (form `messageId`, `status` DELIVRD, or UNDELIV for numbers in `sms_undelivered`),
  as the gateway calls the report URL configured in its console.

It fails on demand: `fail_next(channel, mode, count=1)` with mode "429", "500",
"not_on_whatsapp" (131026 at once), "template" (132001), "stall" (takes the message, then
answers after the client's time-out: delivery unknown), "no_credit" (SMS). Numbers in
`not_on_whatsapp` are accepted and then reported failed by webhook (Meta's usual way);
numbers in `silent` are accepted and never reported delivered; `kill_on_accept` (a
process id) is killed right after the next message was accepted.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from notifications.whatsapp import signature_make

PHONE_NUMBER_ID = "1055512345"
TOKEN = "test-token"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
USERKEY, PASSKEY = "uk", "pk"
SMS_REPORT_TOKEN = "test-sms-report-token"


class FakeProvider:
    def __init__(self, *, stall_seconds: float = 3.0, port: int = 0):
        self.lock = threading.Lock()
        self.stall_seconds = stall_seconds
        self.webhook_url = ""
        self.sms_report_url = ""
        self.webhook_delay = 0.05
        self.reset()
        self._ids = itertools.count(1)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                # Headers and body leave in two writes: without this, Nagle's algorithm
                # and the client's delayed ACK add 40 ms to every keep-alive answer.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with provider.lock:
                    provider.connections += 1

            def _reply(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path == "/api/balance/":
                    query = parse_qs(parts.query)
                    if query.get("userkey") != [USERKEY] or query.get("passkey") != [PASSKEY]:
                        return self._reply(200, {"status": "0", "text": "Userkey salah"})
                    return self._reply(200, {"status": "1", "balance": provider.balance})
                return self._reply(404, {"error": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = urlsplit(self.path).path
                if path == f"/v21.0/{PHONE_NUMBER_ID}/messages":
                    return provider._whatsapp(self, raw)
                if path in ("/reguler/api/sendsms/", "/masking/api/sendsms/"):
                    return provider._sms(self, raw, masking=path.startswith("/masking"))
                return self._reply(404, {"error": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- control --------------------------------------------------------------------

    def start(self) -> FakeProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.whatsapp = []  # (id, payload) accepted
            self.sms = []  # (id, form) accepted
            self.requests = defaultdict(int)
            self.connections = 0  # TCP connections accepted (keep-alive reuses one)
            self.failures = defaultdict(list)  # channel -> modes, first first
            self.not_on_whatsapp = set()  # E.164 digits, reported failed by webhook
            self.silent = set()  # accepted, never delivered
            self.sms_undelivered = set()  # E.164 digits: SMS reported UNDELIV
            self.sms_reports_sent = 0
            self.balance = "125,000"
            self.webhooks_sent = 0
            self.kill_on_accept = None  # a process id to SIGKILL after the next message

    def fail_next(self, channel: str, mode: str, count: int = 1) -> None:
        with self.lock:
            self.failures[channel].extend([mode] * count)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def whatsapp_url(self) -> str:
        return (
            f"whatsapp+http://{PHONE_NUMBER_ID}:{TOKEN}@127.0.0.1:{self.port}/v21.0"
            f"?app_secret={APP_SECRET}&verify_token={VERIFY_TOKEN}"
        )

    def sms_url(self) -> str:
        return (
            f"zenziva+http://{USERKEY}:{PASSKEY}@127.0.0.1:{self.port}"
            f"?report_token={SMS_REPORT_TOKEN}"
        )

    def settings(self) -> dict:
        """The settings the portal reads from whatsapp_url() and sms_url()."""
        return {
            "WHATSAPP_BACKEND": "notifications.whatsapp.CloudAPIBackend",
            "WHATSAPP": {
                "base_url": f"{self.base_url}/v21.0",
                "phone_number_id": PHONE_NUMBER_ID,
                "token": TOKEN,
                "app_secret": APP_SECRET,
                "verify_token": VERIFY_TOKEN,
            },
            "SMS_BACKEND": "notifications.sms.ZenzivaBackend",
            "SMS": {
                "base_url": self.base_url,
                "userkey": USERKEY,
                "passkey": PASSKEY,
                "sender": "",
                "report_token": SMS_REPORT_TOKEN,
            },
        }

    def whatsapp_to(self, number: str) -> list[dict]:
        with self.lock:
            return [p for _id, p in self.whatsapp if p["to"] == number.lstrip("+")]

    def sms_to(self, number: str) -> list[dict]:
        with self.lock:
            return [f for _id, f in self.sms if f["to"] == number.lstrip("+")]

    # --- the APIs ---------------------------------------------------------------------

    def _next_failure(self, channel: str) -> str:
        with self.lock:
            self.requests[channel] += 1
            return self.failures[channel].pop(0) if self.failures[channel] else ""

    def _whatsapp(self, handler, raw: bytes) -> None:
        def error(status: int, code: int, message: str, **more) -> None:
            """The Graph API's error body."""
            handler._reply(status, {"error": {"code": code, "message": message, **more}})

        if handler.headers.get("Authorization") != f"Bearer {TOKEN}":
            return error(401, 190, "Invalid OAuth access token")
        failure = self._next_failure("whatsapp")
        if failure == "429":
            return error(429, 130429, "Rate limit hit", type="OAuthException")
        if failure == "500":
            return error(500, 1, "Unknown error")
        if failure == "not_on_whatsapp":
            details = "Receiver is incapable of receiving this message"
            return error(400, 131026, "Message undeliverable", error_data={"details": details})
        if failure == "template":
            return error(
                404,
                132001,
                "Template name does not exist in the translation",
                error_data={"details": "template name not found"},
            )
        payload = json.loads(raw)
        message_id = f"wamid.FAKE{next(self._ids):08d}"
        with self.lock:
            self.whatsapp.append((message_id, payload))
            victim, self.kill_on_accept = self.kill_on_accept, None
        if victim is not None:
            # The sending worker dies after Meta took its message, before it recorded it.
            os.kill(victim, signal.SIGKILL)
        if failure == "stall":
            time.sleep(self.stall_seconds)
        to = payload["to"]
        if to in self.not_on_whatsapp:
            statuses = [("failed", {"code": 131026, "title": "Message undeliverable"})]
        elif to in self.silent:
            statuses = [("sent", None)]
        else:
            statuses = [("sent", None), ("delivered", None)]
        handler._reply(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            },
        )
        if self.webhook_url:
            threading.Thread(
                target=self._send_statuses, args=(message_id, to, statuses), daemon=True
            ).start()

    def status_body(
        self, message_id: str, to: str, status: str, error: dict | None = None
    ) -> bytes:
        entry = {
            "id": message_id,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": to,
        }
        if error:
            entry["errors"] = [error]
        return self.webhook_body({"statuses": [entry]})

    def text_body(self, sender: str, text: str) -> bytes:
        message = {
            "from": sender.lstrip("+"),
            "id": f"wamid.IN{next(self._ids):08d}",
            "timestamp": str(int(time.time())),
            "type": "text",
            "text": {"body": text},
        }
        return self.webhook_body({"messages": [message]})

    def webhook_body(self, value: dict) -> bytes:
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": PHONE_NUMBER_ID},
                                **value,
                            },
                        }
                    ],
                }
            ],
        }
        return json.dumps(payload).encode()

    def post_webhook(self, body: bytes, *, secret: str = APP_SECRET) -> int:
        request = urllib.request.Request(  # noqa: S310 - an http:// URL on loopback
            self.webhook_url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": signature_make(body=body, app_secret=secret),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status

    def _send_statuses(self, message_id: str, to: str, statuses) -> None:
        for status, error in statuses:
            time.sleep(self.webhook_delay)
            if not self.webhook_url:
                return  # the test that sent the message is over
            try:
                self.post_webhook(self.status_body(message_id, to, status, error))
            except (OSError, ValueError):
                continue
            with self.lock:
                self.webhooks_sent += 1

    def _sms(self, handler, raw: bytes, *, masking: bool) -> None:
        form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        if form.get("userkey") != USERKEY or form.get("passkey") != PASSKEY:
            return handler._reply(200, {"status": "0", "text": "Userkey atau Passkey salah"})
        failure = self._next_failure("sms")
        if failure == "500":
            return handler._reply(502, {"status": "0", "text": "Bad gateway"})
        if failure == "no_credit":
            return handler._reply(200, {"status": "0", "text": "Saldo tidak mencukupi"})
        message_id = f"sms{next(self._ids):08d}"
        with self.lock:
            self.sms.append((message_id, {**form, "masking": masking}))
        if failure == "stall":
            time.sleep(self.stall_seconds)
        handler._reply(
            200, {"messageId": message_id, "to": form["to"], "status": "1", "text": "Success"}
        )
        if self.sms_report_url:
            status = "UNDELIV" if form["to"] in self.sms_undelivered else "DELIVRD"
            threading.Thread(
                target=self._send_sms_report, args=(message_id, status), daemon=True
            ).start()

    def sms_report_post(self, message_id: str, status: str, *, url: str = "") -> int:
        """POST one delivery report (form fields, as the gateway sends them)."""
        body = urlencode({"messageId": message_id, "status": status}).encode()
        request = urllib.request.Request(  # noqa: S310 - an http:// URL on loopback
            url or self.sms_report_url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def _send_sms_report(self, message_id: str, status: str) -> None:
        time.sleep(self.webhook_delay)
        if not self.sms_report_url:
            return
        try:
            self.sms_report_post(message_id, status)
        except (OSError, ValueError):
            return
        with self.lock:
            self.sms_reports_sent += 1
