"""Remove every stored link that works without a login from the outbox.

Rows of the kinds below kept their password-reset, verification or tracer links (signed
tokens) in `context`, readable by every staff role in the mail log. The links are now
made at send time (notifications.links); this drops the stored ones. A row that is sent
again gets a fresh link. The tracer's rows get their survey id back in the reports app's
migration (it owns the surveys).
"""

from django.db import migrations

SECRET_LINK_KEYS = {
    "account.verify_email": ("url",),
    "account.password_reset": ("url",),
    "tracer.survey": ("url", "url_working", "url_not_working"),
}


def scrub(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for kind, keys in SECRET_LINK_KEYS.items():
        rows = Notification.objects.filter(kind=kind).only("pk", "context").iterator()
        changed = []
        for row in rows:
            context = dict(row.context or {})
            if any(key in context for key in keys):
                for key in keys:
                    context.pop(key, None)
                row.context = context
                changed.append(row)
            if len(changed) >= 500:
                Notification.objects.bulk_update(changed, ["context"])
                changed = []
        if changed:
            Notification.objects.bulk_update(changed, ["context"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_handed_at")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop, elidable=True)]
