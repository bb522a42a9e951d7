"""The outbox gets channels: `email` becomes `address` (an e-mail or an E.164 number).

Every existing row is an e-mail: its channel defaults to e-mail and its address is the
address it had, so the rows stay valid and readable in the message log.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0006_scrub_secret_links"),
    ]

    operations = [
        migrations.RenameField(model_name="notification", old_name="email", new_name="address"),
        migrations.AlterField(
            model_name="notification",
            name="address",
            field=models.CharField(max_length=254, verbose_name="address"),
        ),
        migrations.AddField(
            model_name="notification",
            name="channel",
            field=models.CharField(
                choices=[("email", "E-mail"), ("whatsapp", "WhatsApp"), ("sms", "SMS")],
                default="email",
                max_length=16,
                verbose_name="channel",
            ),
        ),
    ]
