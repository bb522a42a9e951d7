"""Django's SMTP backend, plus one fact the outbox needs: may a failed send have arrived?

SMTP has a well-known gap (RFC 1047): once the message data and its final "." are on the
wire, the server may accept and queue the mail while its "250" reply never reaches us
(a time-out, a dropped connection). Sending again then delivers twice. Errors before the
DATA phase, and explicit refusals (a 4xx/5xx reply), mean the server did not take it.

`settings.py` uses this backend whenever `EMAIL_URL` points at an SMTP server. After a
send raises, `backend.delivery_uncertain` tells the outbox not to retry on its own.
"""

import smtplib

from django.core.mail.backends import smtp


class _DataPhaseMixin:
    """Remember whether the current message reached the DATA command."""

    data_started = False

    def mail(self, *args, **kwargs):
        self.data_started = False
        return super().mail(*args, **kwargs)

    def data(self, msg):
        self.data_started = True
        return super().data(msg)


class _SMTP(_DataPhaseMixin, smtplib.SMTP):
    pass


class _SMTPSSL(_DataPhaseMixin, smtplib.SMTP_SSL):
    pass


def delivery_uncertain(*, data_started: bool, exc: BaseException) -> bool:
    """A failure during DATA without an SMTP reply (time-out, disconnect) is uncertain."""
    return data_started and not isinstance(exc, smtplib.SMTPResponseException)


class EmailBackend(smtp.EmailBackend):
    """SMTP backend whose `delivery_uncertain` is true after a send that may have arrived."""

    delivery_uncertain = False

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP

    def _send(self, email_message):
        self.delivery_uncertain = False
        if self.connection is not None:
            self.connection.data_started = False
        try:
            return super()._send(email_message)
        except BaseException as exc:
            self.delivery_uncertain = delivery_uncertain(
                data_started=getattr(self.connection, "data_started", False), exc=exc
            )
            raise
