"""The password-reset link and one-time codes, made when the message is sent (see
notifications.links).

Django's token depends on the account's password and last login, so a link made at send
time is valid until the password changes or the timeout passes; "send again" from the
mail log makes a new one.
"""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.links import SecretLinkUnavailable


def password_reset_links(notification) -> dict[str, str]:
    user = notification.recipient
    if user is None or not user.is_active or not user.has_usable_password():
        raise SecretLinkUnavailable("the account no longer exists or cannot log in")
    current = (user.email if notification.channel == "email" else user.phone) or ""
    if current.lower() != notification.address.lower():
        # The address or number changed since the request: the link goes to nobody else.
        raise SecretLinkUnavailable("the account's address changed since the request")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return {"url": reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})}


def one_time_code_links(notification) -> dict[str, str]:
    """The code of the row's OneTimeCode, derived now (accounts.codes); never stored."""
    from .codes import code_value
    from .models import OneTimeCode

    user = notification.recipient
    code_id = (notification.context or {}).get("code_id")
    row = OneTimeCode.objects.filter(pk=code_id, user_id=notification.recipient_id).first()
    if user is None or row is None or not user.is_active:
        raise SecretLinkUnavailable("the code or its account no longer exists")
    if row.used_at is not None or row.expires_at <= timezone.now():
        raise SecretLinkUnavailable("the code was used, replaced or has expired")
    current = (user.email if notification.channel == "email" else user.phone) or ""
    if current.lower() != notification.address.lower():
        raise SecretLinkUnavailable("the account's address changed since the request")
    return {"code": code_value(row.secret)}
