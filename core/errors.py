"""Typed domain errors: services raise them, views and admin actions translate them."""


class DomainError(Exception):
    """A business rule refused an action.

    `code` is stable and asserted by tests; `message` is a translated, human sentence
    that views show as it is.
    """

    code = "domain_error"

    def __init__(self, code: str, message: str = ""):
        self.code = code
        self.message = message or code
        super().__init__(self.message)
