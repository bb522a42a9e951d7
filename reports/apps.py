from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and placement tracer")

    def ready(self):
        from notifications.kinds import Kind
        from notifications.links import secret_link_register

        from .links import tracer_survey_links

        secret_link_register(Kind.TRACER_SURVEY, tracer_survey_links)
