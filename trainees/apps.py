from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = _("Job seekers")

    def ready(self):
        from notifications.kinds import Kind
        from notifications.links import secret_link_register

        from .links import verify_email_links

        secret_link_register(Kind.ACCOUNT_VERIFY_EMAIL, verify_email_links)

        # The person's cached pages go stale when their account or profile changes.
        from . import fragments

        fragments.connect()
