"""Give the tracer's outbox rows the survey they ask about (their links are made at send
time now; notifications' 0006 removed the stored ones). The dedup key names the
application and the round: "tracer.survey:<application id>:<round>"."""

from django.db import migrations


def link_surveys(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    TracerSurvey = apps.get_model("reports", "TracerSurvey")
    surveys = {
        (application_id, round): pk
        for pk, application_id, round in TracerSurvey.objects.values_list(
            "pk", "application_id", "round"
        )
    }
    changed = []
    for row in Notification.objects.filter(kind="tracer.survey").iterator():
        try:
            _prefix, application_id, round = row.dedup_key.split(":")
            survey = surveys.get((int(application_id), int(round)))
        except ValueError:
            continue
        if survey is not None and (row.context or {}).get("survey") != survey:
            row.context = {**(row.context or {}), "survey": survey}
            changed.append(row)
    Notification.objects.bulk_update(changed, ["context"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("notifications", "0006_scrub_secret_links"),
    ]

    operations = [migrations.RunPython(link_surveys, migrations.RunPython.noop, elidable=True)]
