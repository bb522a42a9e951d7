from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Employers and placements")

    def ready(self):
        # A person's or an employer's cached page goes stale when its rows change.
        from . import fragments

        fragments.connect()
