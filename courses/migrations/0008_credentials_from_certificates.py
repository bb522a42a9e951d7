"""Existing STC training certificates join the credential registry (same code)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Certificate = apps.get_model("courses", "Certificate")
    Credential = apps.get_model("courses", "Credential")
    CredentialScheme = apps.get_model("courses", "CredentialScheme")
    missing = Certificate.objects.filter(credential__isnull=True).select_related(
        "application"
    )
    if not missing.exists():
        return
    scheme, _created = CredentialScheme.objects.get_or_create(
        code="stc-training",
        defaults={
            "name": "Sertifikat Pelatihan STC Batang",
            "kind": "stc_training",
            "issuer": "Smart Training Center Batang",
        },
    )
    taken = set(Credential.objects.values_list("code", flat=True))
    rows = []
    for certificate in missing.iterator():
        if certificate.code in taken:
            continue  # pragma: no cover - a recorded credential drew the same code
        rows.append(
            Credential(
                scheme=scheme,
                holder_id=certificate.application.trainee_id,
                holder_name=certificate.holder_name,
                number=certificate.number,
                issuer=scheme.issuer,
                issued_on=certificate.issued_on,
                code=certificate.code,
                certificate=certificate,
                revoked_at=certificate.revoked_at,
                revoked_by_id=certificate.revoked_by_id,
                revoke_reason=certificate.revoke_reason,
                verified_at=timezone.now(),
                created_at=timezone.now(),
            )
        )
    Credential.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("courses", "0007_certification")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
