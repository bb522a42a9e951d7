"""What the outbox needs of a WhatsApp or SMS provider, and the file backend of `make run`.

A backend is used like Django's mail backends, one per batch: `open()`, `send(message)`
for each message (returns the provider's message id), `close()`. A failed send raises
`ProviderError`, whose flags tell the outbox what to do:

- `transient`: nothing was taken, try again later (rate limit, 5xx, connection refused);
- `undeliverable`: the provider cannot reach this person on this channel (the number is
  not on WhatsApp): fail the row and fall back to the next channel;
- `uncertain`: the request went out and no answer came back (a read time-out): the
  provider may have accepted it, so the row fails as "delivery unknown", as for SMTP;
- none of them: permanent, fail with the reason (a template Meta rejected).

`channel_connection(channel)` returns the backend `settings.WHATSAPP_BACKEND` /
`SMS_BACKEND` names; without `WHATSAPP_URL` / `SMS_URL` that is `FileBackend`, which
writes each message as a readable file in `var/outbox/`, beside the mail.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from .kinds import Channel


class ProviderError(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        transient: bool = False,
        undeliverable: bool = False,
        uncertain: bool = False,
    ):
        super().__init__(message)
        self.code = str(code)
        self.transient = transient
        self.undeliverable = undeliverable
        self.uncertain = uncertain


class ProviderBackend:
    """Base of the WhatsApp and SMS backends (see the module docstring)."""

    channel = ""
    delivery_uncertain = False
    last_provider_id = ""

    def __init__(self, channel: str, **config):
        self.channel = channel
        self.config = config

    def open(self) -> None:
        return None

    def close(self) -> None:
        return None

    def send(self, message) -> str:
        raise NotImplementedError

    def send_messages(self, messages) -> int:
        """Send each message; after a failure `delivery_uncertain` says if it may have arrived."""
        for message in messages:
            self.delivery_uncertain = False
            try:
                self.last_provider_id = self.send(message)
            except ProviderError as exc:
                self.delivery_uncertain = exc.uncertain
                raise
        return len(messages)


_clients: dict[tuple, httpx.Client] = {}
_clients_lock = threading.Lock()


def http_client(**options) -> httpx.Client:
    """The worker process's one httpx client for these options (base URL, headers, …).

    Kept for the life of the process: its connections stay open between batches (HTTP
    keep-alive), and its TLS context is built once (loading the CA bundle costs tens of
    milliseconds, more than a message). Keyed by process id too: a client is never used
    across a fork (Celery's prefork pool).
    """
    key = (os.getpid(), repr(sorted(options.items())))
    with _clients_lock:
        client = _clients.get(key)
        if client is None or client.is_closed:
            client = _clients[key] = httpx.Client(**options)
        return client


def http_client_discard(client: httpx.Client | None) -> None:
    """Close a client after a transport error: the next batch starts a fresh one."""
    if client is None:
        return
    with _clients_lock:
        for key, value in list(_clients.items()):
            if value is client:
                del _clients[key]
    client.close()


class HttpProviderBackend(ProviderBackend):
    """A provider reached over the worker process's kept-alive client (`http_client`,
    made from `client_options()`); a transport error discards that client."""

    client: httpx.Client | None = None

    def client_options(self) -> dict:
        raise NotImplementedError

    def open(self) -> None:
        if self.client is None:
            self.client = http_client(**self.client_options())

    def close(self) -> None:
        self.client = None  # the connection stays open for the next batch

    def post(self, path: str, **request) -> httpx.Response:
        """POST on the kept-alive client; a transport error discards it, then is raised."""
        self.open()
        try:
            return self.client.post(path, **request)
        except httpx.HTTPError:
            http_client_discard(self.client)
            self.client = None
            raise


_counter = itertools.count()


class FileBackend(ProviderBackend):
    """Write each message as a text file in OUTBOX_FILE_PATH (the `make run` default)."""

    def send(self, message) -> str:
        folder = Path(settings.OUTBOX_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        provider_id = f"file-{stamp}-{os.getpid()}-{next(_counter)}"
        lines = [
            f"Channel: {message.channel}",
            f"To: {message.to}",
            f"Kind: {message.kind}",
        ]
        if message.channel == Channel.WHATSAPP:
            lines += [
                f"Template: {message.template} ({message.language})",
                "Parameters: " + " | ".join(message.parameters),
            ]
        lines += ["", message.text, ""]
        (folder / f"{provider_id}.{message.channel}.txt").write_text(
            "\n".join(lines), encoding="utf-8"
        )
        return provider_id


def channel_connection(channel: str) -> ProviderBackend:
    """A fresh backend for a batch on `channel` (WhatsApp or SMS), as settings configure it."""
    if channel == Channel.WHATSAPP:
        path, config = settings.WHATSAPP_BACKEND, settings.WHATSAPP
    elif channel == Channel.SMS:
        path, config = settings.SMS_BACKEND, settings.SMS
    else:
        raise ValueError(f"no provider backend for {channel!r}")
    return import_string(path)(channel, **config)
