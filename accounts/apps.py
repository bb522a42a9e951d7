from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from notifications.kinds import Kind
        from notifications.links import secret_link_register

        from . import throttle  # noqa: F401 - connects the login-failure receivers
        from .links import one_time_code_links, password_reset_links
        from .models import User
        from .user_cache import user_changed

        for signal in (post_save, post_delete):
            signal.connect(user_changed, sender=User, dispatch_uid="accounts:user-cache")

        secret_link_register(Kind.ACCOUNT_PASSWORD_RESET, password_reset_links)
        secret_link_register(Kind.ACCOUNT_ONE_TIME_CODE, one_time_code_links)
