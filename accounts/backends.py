from django.contrib.auth.backends import ModelBackend

from .models import UserManager


class EmailBackend(ModelBackend):
    """Log in with the e-mail address, whatever its letter case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = UserManager.normalize_email(username)
        return super().authenticate(request, username=username, password=password, **kwargs)
