"""The log-in page: Django's own view, landing each role on its own start page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse

from .models import User

# Where a person lands after logging in without a `next` page: the page of their work.
LANDING_PAGES = {
    User.Role.JOB_SEEKER: "courses:dashboard",
    User.Role.TRAINER: "courses:trainer-home",
}


class LoginView(auth_views.LoginView):
    def get_default_redirect_url(self):
        landing = LANDING_PAGES.get(self.request.user.role)
        if landing is not None and not self.request.user.is_staff:
            return reverse(landing)
        return super().get_default_redirect_url()
