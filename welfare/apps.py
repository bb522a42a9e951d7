from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Social security and allowances")

    def ready(self):
        # The door of courses calls it when a trainee leaves a seat or the training.
        from courses.admissions.hooks import application_leave_register

        from .services import coverage_end_on_leave

        application_leave_register(coverage_end_on_leave)

        # The dashboard's cached notices go stale when the person's cover or account changes.
        from . import fragments

        fragments.connect()
