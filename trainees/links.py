"""The e-mail verification link, made when the mail is sent (see notifications.links)."""

from notifications.links import SecretLinkUnavailable

from .services import email_verification_path


def verify_email_links(notification) -> dict[str, str]:
    """Sign the address the mail goes to: the link verifies that address and no other."""
    if notification.recipient is None:
        raise SecretLinkUnavailable("the account no longer exists")
    return {"url": email_verification_path(notification.recipient, email=notification.address)}
