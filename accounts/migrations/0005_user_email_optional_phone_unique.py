"""E-mail optional (NULL, unique whatever the case when present), phone unique when present.

An account without e-mail holds NULL, never "" (two "" would collide): any empty e-mail
is turned into NULL. A number can be a login only if one account holds it: where several
accounts share one (a family phone), the oldest account keeps it and the others lose it
(they can enter another number on their profile). Each such number is logged as a
warning of the `accounts.migrations` logger, with the account ids (never the number):
staff find them in the deploy's `migrate` output (README "Accounts without e-mail").
"""

import logging

import django.db.models.functions.text
from django.db import migrations, models

logger = logging.getLogger("accounts.migrations")


def empty_email_to_null(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(email="").update(email=None)


def shared_phone_to_oldest(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    shared = (
        User.objects.exclude(phone="")
        .values("phone")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
        .values_list("phone", flat=True)
    )
    for phone in list(shared):
        keep = User.objects.filter(phone=phone).order_by("date_joined", "pk").first()
        losing = User.objects.filter(phone=phone).exclude(pk=keep.pk)
        ids = sorted(losing.values_list("pk", flat=True))
        losing.update(phone="")
        logger.warning(
            "shared mobile number ending %s: kept by account %s (the oldest), removed from "
            "account(s) %s; they can enter another number on their profile",
            phone[-3:],
            keep.pk,
            ", ".join(map(str, ids)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_role_trainer"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="email",
            field=models.EmailField(
                blank=True, max_length=254, null=True, verbose_name="e-mail address"
            ),
        ),
        migrations.RunPython(empty_email_to_null, migrations.RunPython.noop),
        migrations.RunPython(shared_phone_to_oldest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email__isnull", False)),
                name="accounts_user_email_unique",
                violation_error_message="An account with this e-mail address already exists.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("phone", ""), _negated=True),
                fields=("phone",),
                name="accounts_user_phone_unique",
                violation_error_message="An account with this mobile number already exists.",
            ),
        ),
    ]
