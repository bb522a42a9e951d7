"""Create the staff groups (training staff, placement officer, administrator).

Their permissions are set from core.roles.ROLE_PERMISSIONS here (for the models that
already exist) and again after every migrate (core.roles.sync_roles_after_migrate), so
models of apps that land later get their group rights too.
"""

from django.db import migrations


def create_groups(apps, schema_editor):
    from core.roles import roles_sync

    roles_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    from core.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_audit_event"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
