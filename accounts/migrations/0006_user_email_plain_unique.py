"""The e-mail's uniqueness back on the column itself (NULLs never collide there).

The lower-case check makes a unique column as strict as a unique index on Lower(email),
and a plain unique column is what upserts (ON CONFLICT (email), the demo data) need.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_user_email_optional_phone_unique'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='user',
            name='accounts_user_email_unique',
        ),
        migrations.AlterField(
            model_name='user',
            name='email',
            field=models.EmailField(blank=True, max_length=254, null=True, unique=True, verbose_name='e-mail address'),
        ),
    ]
