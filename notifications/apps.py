from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The profile form shows the person's consent and channel: their cached page.
        from . import fragments

        fragments.connect()
