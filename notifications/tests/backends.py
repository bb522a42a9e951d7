"""E-mail backends for tests: locmem that fails on cue and counts connections."""

import smtplib

from django.core.mail.backends import locmem


class ScriptedBackend(locmem.EmailBackend):
    """Raise the scripted exceptions one per send, then deliver to `mail.outbox`."""

    failures: list[BaseException] = []
    open_failures: list[BaseException] = []
    instances = 0
    opens = 0
    sends = 0
    # Like notifications.smtp.EmailBackend: may the failed send have arrived?
    delivery_uncertain = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).instances += 1

    def open(self):
        type(self).opens += 1
        if type(self).open_failures:
            raise type(self).open_failures.pop(0)
        return True

    def send_messages(self, messages):
        type(self).sends += 1
        self.delivery_uncertain = False
        if type(self).failures:
            raise type(self).failures.pop(0)
        return super().send_messages(messages)

    @classmethod
    def reset(cls, failures=()):
        cls.failures = list(failures)
        cls.open_failures = []
        cls.instances = 0
        cls.opens = 0
        cls.sends = 0


class LostReplyBackend(locmem.EmailBackend):
    """The server takes the message, then its reply is lost (as after a time-out)."""

    delivery_uncertain = False

    def send_messages(self, messages):
        super().send_messages(messages)
        self.delivery_uncertain = True
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out")


class BlockingBackend(locmem.EmailBackend):
    """Signal `entered` when a send starts, then wait for `release` before delivering."""

    entered = None  # threading.Event, set by the test
    release = None

    def send_messages(self, messages):
        type(self).entered.set()
        assert type(self).release.wait(timeout=30), "the test never released the send"
        return super().send_messages(messages)
