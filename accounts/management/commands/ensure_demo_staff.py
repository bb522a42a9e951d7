"""The demo staff logins `make run` prints: a member of the real *Training staff* group
(so people trying the portal meet the limits staff really have) and a separate demo
administrator (the *Administrator* group). Development only."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.roles import ADMINISTRATOR, TRAINING_STAFF

DEMO_EMAIL = "staf@demo.stc-batang.id"
DEMO_PASSWORD = "demo-staf-batang"  # noqa: S105 - printed on purpose, debug only
DEMO_ADMIN_EMAIL = "admin@demo.stc-batang.id"
DEMO_ADMIN_PASSWORD = "demo-admin-batang"  # noqa: S105 - printed on purpose, debug only

# (e-mail, password, full name, group)
DEMO_STAFF = (
    (DEMO_EMAIL, DEMO_PASSWORD, "Staf Pelatihan Demo", TRAINING_STAFF),
    (DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "Administrator Demo", ADMINISTRATOR),
)


def demo_staff_ensure(email: str, password: str, full_name: str, role: str) -> User:
    """Create or reset one demo staff account: staff, in exactly `role`'s group, never a
    superuser (what it may do is what the group grants)."""
    group = Group.objects.get(name=role)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password, full_name=full_name, role=User.Role.STAFF, is_staff=True
        )
    else:
        user.set_password(password)
        user.full_name = full_name
        user.role = User.Role.STAFF
        user.is_active = user.is_staff = True
        user.is_superuser = False
        user.save()
    user.groups.set([group])
    return user


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo staff logins for `make run` (training staff and an "
        "administrator); refuses when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo staff accounts are only for development (DJANGO_DEBUG on)."
            )
        for email, password, full_name, role in DEMO_STAFF:
            demo_staff_ensure(email, password, full_name, role)
            self.stdout.write(
                self.style.SUCCESS(f"Demo {role.lower()} login: {email} / {password}")
            )
        self.stdout.write(
            f"Staff start at the work queue: {settings.SITE_URL}/admin/today/ "
            f"(the admin: {settings.SITE_URL}/admin/)"
        )
