"""Store every phone number in E.164 as core.phone (phonenumbers) writes it.

The old hand-written parser already wrote +62…; this re-reads each stored value with
phonenumbers so that any number it wrote differently ends up in the one form. A value
phonenumbers cannot read is kept as it is (staff can still see and correct it).
"""

from django.db import migrations


def normalise(apps, schema_editor):
    from core.phone import phone_normalize

    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(phone="").only("pk", "phone").iterator():
        normalized = phone_normalize(user.phone)
        if normalized and normalized != user.phone:
            User.objects.filter(pk=user.pk).update(phone=normalized)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_user_phone_email_verified"),
    ]

    operations = [
        migrations.RunPython(normalise, migrations.RunPython.noop),
    ]
