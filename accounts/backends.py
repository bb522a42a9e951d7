from django.contrib.auth.backends import ModelBackend

from .models import User
from .user_cache import user_get_cached


class EmailBackend(ModelBackend):
    """Log in with the e-mail address (whatever its letter case) or the mobile number.

    One field takes either: a value that reads as an Indonesian number (core.phone) is
    looked up as the account's number in E.164, anything else as its e-mail.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User.objects.get_by_login(username)
        except User.DoesNotExist:
            # Run the hasher anyway: the time taken does not tell whether the account exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in request's account, through the cache of accounts.user_cache."""
        user = user_get_cached(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
