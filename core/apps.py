from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
        from .converters import converters_register
        from .roles import sync_roles_after_migrate

        converters_register()

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="core.roles.sync")
