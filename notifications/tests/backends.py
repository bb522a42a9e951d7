"""E-mail backends for tests: locmem that fails on cue and counts connections."""

from django.core.mail.backends import locmem


class ScriptedBackend(locmem.EmailBackend):
    """Raise the scripted exceptions one per send, then deliver to `mail.outbox`."""

    failures: list[BaseException] = []
    instances = 0
    opens = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).instances += 1

    def open(self):
        type(self).opens += 1
        return True

    def send_messages(self, messages):
        if type(self).failures:
            raise type(self).failures.pop(0)
        return super().send_messages(messages)

    @classmethod
    def reset(cls, failures=()):
        cls.failures = list(failures)
        cls.instances = 0
        cls.opens = 0


class BlockingBackend(locmem.EmailBackend):
    """Signal `entered` when a send starts, then wait for `release` before delivering."""

    entered = None  # threading.Event, set by the test
    release = None

    def send_messages(self, messages):
        type(self).entered.set()
        assert type(self).release.wait(timeout=30), "the test never released the send"
        return super().send_messages(messages)
