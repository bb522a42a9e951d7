"""Trigram indexes for the staff's searches by name, e-mail and mobile number.

`icontains` on PostgreSQL is `UPPER(column) LIKE UPPER('%word%')`, which no B-tree index
answers: every search scanned every account. A GIN index of trigrams on each UPPER(...)
answers it (pg_trgm, shipped with PostgreSQL). Without GIN's pending list
(`fastupdate = off`): accounts are written rarely and searched all day, and after a few
thousand sign-ups the unmerged list made the planner scan the table instead (63 ms
against 1 ms, until a VACUUM). PostgreSQL only: other databases (SQLite
for `make run`) search as before. Where the database user may not create the extension
(a managed server without it), the migration says so and leaves searching as it was;
`CREATE EXTENSION pg_trgm` by an administrator and `migrate accounts 0007` then `migrate`
add the indexes later.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

COLUMNS = ("full_name", "email", "phone")


def _index(column: str) -> str:
    return f"accounts_user_{column}_upper_trgm"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logger.warning("pg_trgm is not available (%s): searches stay unindexed", exc)
        return
    with connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index(column)}" ON "accounts_user" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops) WITH (fastupdate = off)'
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f'DROP INDEX IF EXISTS "{_index(column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_one_time_code"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
