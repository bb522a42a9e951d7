"""The history tables move onto core.TransitionEvent; employer verification gets one.

JobApplicationEvent's `kind` becomes `category` and its `note` becomes `reason`
(renamed: the rows keep their values); both tables gain `data` (VacancyEvent also
`category`) and an index on `created_at`, like every event table. Employers verified
before get their verification row from `verified_at` and `verified_by`.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ACTOR = dict(
    blank=True,
    help_text="Empty: the portal itself (e.g. the deadline passed).",
    null=True,
    on_delete=django.db.models.deletion.SET_NULL,
    related_name="+",
    to=settings.AUTH_USER_MODEL,
    verbose_name="by",
)


def employer_verifications_backfill(apps, schema_editor):
    """Give each employer verified before this migration its verification row."""
    Employer = apps.get_model("placements", "Employer")
    EmployerEvent = apps.get_model("placements", "EmployerEvent")
    EmployerEvent.objects.bulk_create(
        EmployerEvent(
            employer_id=pk,
            from_status="unverified",
            to_status="verified",
            actor_id=verified_by_id,
            created_at=verified_at,
        )
        for pk, verified_at, verified_by_id in Employer.objects.filter(
            verified_at__isnull=False
        ).values_list("pk", "verified_at", "verified_by_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0002_vacancy_reference"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("jobapplicationevent", "kind", "category"),
        migrations.RenameField("jobapplicationevent", "note", "reason"),
        migrations.AlterField(
            model_name="jobapplicationevent",
            name="category",
            field=models.CharField(
                choices=[
                    ("status", "Status change"),
                    ("no_response", "No answer yet (automatic message)"),
                    ("vacancy_closed", "Vacancy closed"),
                ],
                default="status",
                max_length=20,
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="jobapplicationevent",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="jobapplicationevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AddField(
            model_name="vacancyevent",
            name="category",
            field=models.CharField(default="status", max_length=20, verbose_name="category"),
        ),
        migrations.AddField(
            model_name="vacancyevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AlterField(
            model_name="jobapplicationevent",
            name="actor",
            field=models.ForeignKey(**ACTOR),
        ),
        migrations.AlterField(
            model_name="jobapplicationevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="at"
            ),
        ),
        migrations.AlterField(
            model_name="vacancyevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="at"
            ),
        ),
        migrations.CreateModel(
            name="EmployerEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(default="status", max_length=20, verbose_name="category"),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="details")),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="at"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[("unverified", "Not verified"), ("verified", "Verified")],
                        max_length=10,
                        verbose_name="from",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[("unverified", "Not verified"), ("verified", "Verified")],
                        max_length=10,
                        verbose_name="to",
                    ),
                ),
                ("actor", models.ForeignKey(**ACTOR)),
                (
                    "employer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="placements.employer",
                        verbose_name="employer",
                    ),
                ),
            ],
            options={
                "verbose_name": "employer history entry",
                "verbose_name_plural": "employer history",
                "ordering": ("created_at", "pk"),
                "abstract": False,
            },
        ),
        migrations.RunPython(employer_verifications_backfill, migrations.RunPython.noop),
    ]
