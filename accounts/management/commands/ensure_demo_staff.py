from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User

DEMO_EMAIL = "staf@demo.stc-batang.id"
DEMO_PASSWORD = "demo-staf-batang"  # noqa: S105 - printed on purpose, debug only


class Command(BaseCommand):
    help = "Create (or reset) the demo staff superuser for `make run`; refuses when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo staff account is only for development (DJANGO_DEBUG on).")
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_superuser(
                DEMO_EMAIL, DEMO_PASSWORD, full_name="Staf Demo STC"
            )
        else:
            user.set_password(DEMO_PASSWORD)
            user.is_active = user.is_staff = user.is_superuser = True
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login: {DEMO_EMAIL} / {DEMO_PASSWORD}  (admin: {settings.SITE_URL}/admin/)"
            )
        )
