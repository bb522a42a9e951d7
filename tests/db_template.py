"""Test databases cloned from one migrated template on PostgreSQL, kept between runs.

Migrating the test database takes about 13 s of one core, and every pytest-xdist worker
did it for its own database. Here the first worker that needs a database migrates a
template, `test_<name>_tpl_<digest>`, and every worker's database is a copy of it
(`CREATE DATABASE ... TEMPLATE`, a fraction of a second). The digest covers every
installed app's migration files, the installed apps and Django's version, so a template
is reused by a later run only while the migrations are what they were; when they change,
the next run migrates a new template and drops the old ones of that name.

- Built under a temporary name and renamed when complete: an interrupted build is never
  cloned. A PostgreSQL advisory lock serialises building and cloning between workers and
  runs.
- After the copy, the post_migrate receivers run again (content types, permissions, the
  staff groups of core/roles.py), as after a flush, so a change there needs no new
  template.
- The copies commit without waiting for the disk (`synchronous_commit` off for that
  database, Celery workers of the integration tests included): the transactional tests
  commit thousands of times.
- A transactional test empties the tables after it (pytest-django runs `flush`): on
  PostgreSQL a `TRUNCATE` of every table, about a second of file work per test on the
  shared machine even when the test wrote to ten tables. `install_quick_flush()` deletes
  the rows of the tables that have any instead (every foreign key is deferred, so the
  order does not matter); after a test that filled many tables (the demo data) it
  truncates as before.
- `PORTAL_TEST_DB_TEMPLATE=0` turns both off (each database migrated as pytest-django does);
  `--reuse-db`, SQLite and `--nomigrations` are left to pytest-django.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zlib
from pathlib import Path

from django.db import DatabaseError

TEMPLATE_MARK = "_tpl_"


def migrations_digest() -> str:
    """A digest of what a migrated database depends on: the migration files and apps."""
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for app_config in apps.get_app_configs():
        digest.update(app_config.name.encode())
        folder = Path(app_config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _replace_once(cls, name: str, make) -> None:
    """Replace the method `cls.name` by `make(original)`, once per process; not at all
    with PORTAL_TEST_DB_TEMPLATE=0."""
    if os.environ.get("PORTAL_TEST_DB_TEMPLATE", "1") == "0":
        return
    original = getattr(cls, name)
    if getattr(original, "replaced_for_tests", False):
        return
    replacement = make(original)
    replacement.replaced_for_tests = True
    setattr(cls, name, replacement)


def install() -> None:
    """Make PostgreSQL test databases copies of the cached template (see the module)."""
    from django.db.backends.postgresql.creation import DatabaseCreation

    def make(migrate_and_create):
        def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
            if keepdb or self.connection.settings_dict["TEST"].get("MIGRATE") is False:
                return migrate_and_create(self, verbosity, autoclobber, serialize, keepdb)
            return _create_from_template(self, migrate_and_create, verbosity, serialize)

        return create_test_db

    _replace_once(DatabaseCreation, "create_test_db", make)


def _create_from_template(creation, migrate_and_create, verbosity, serialize):
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal

    connection = creation.connection
    alias = connection.alias
    database_name = connection.settings_dict["NAME"]
    test_name = creation._get_test_db_name()
    prefix = f"test_{database_name}{TEMPLATE_MARK}"
    template = f"{prefix}{migrations_digest()}"
    quote = connection.ops.quote_name
    lock = zlib.crc32(prefix.encode())

    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
        try:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                _build_template(creation, migrate_and_create, cursor, template, verbosity)
                _drop_other_templates(cursor, prefix, template, quote)
            elif verbosity >= 1:
                creation.log(f"Copying test database for alias '{alias}' from {template}...")
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
            # A commit need not wait for the disk (0.2 ms instead of 2-4 ms on the shared
            # machine): what a crash would lose is a test database.
            cursor.execute(f"ALTER DATABASE {quote(test_name)} SET synchronous_commit TO off")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])

    connection.close()
    settings.DATABASES[alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    # What `migrate` does last, again on the copy: content types, permissions, staff groups.
    emit_post_migrate_signal(verbosity=max(verbosity - 1, 0), interactive=False, db=alias)
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=alias)
    connection.ensure_connection()
    return test_name


def _build_template(creation, migrate_and_create, cursor, template, verbosity):
    """Migrate a database under a temporary name, then rename it to `template`."""
    from django.conf import settings

    connection = creation.connection
    test_settings = connection.settings_dict["TEST"]
    database_name = connection.settings_dict["NAME"]
    building = f"{template}_building"
    quote = connection.ops.quote_name
    saved_test_name = test_settings.get("NAME")
    test_settings["NAME"] = building
    try:
        migrate_and_create(creation, verbosity, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.close()
        test_settings["NAME"] = saved_test_name
        settings.DATABASES[connection.alias]["NAME"] = database_name
        connection.settings_dict["NAME"] = database_name
    cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")


def _drop_other_templates(cursor, prefix, keep, quote):
    """Drop the templates of older migrations (and half-built ones) for this database."""
    cursor.execute(
        "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
        [prefix, keep],
    )
    for (name,) in cursor.fetchall():
        # In use by another run (of older migrations): it goes next time.
        with contextlib.suppress(DatabaseError):
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")


# Above this many filled tables a flush truncates them all (the demo data: thousands of
# rows, which DELETE would leave behind as dead rows for the next tests to scan).
QUICK_FLUSH_MAX_TABLES = 40


def install_quick_flush() -> None:
    """Make a flush on PostgreSQL delete the rows of the filled tables only (see above)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    def make(truncate):
        def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
            if reset_sequences or allow_cascade or not tables:
                return truncate(
                    self,
                    style,
                    tables,
                    reset_sequences=reset_sequences,
                    allow_cascade=allow_cascade,
                )
            quote = self.quote_name
            with self.connection.cursor() as cursor:
                cursor.execute(
                    " UNION ALL ".join(
                        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - quoted
                        for table in tables
                    ),
                    list(tables),
                )
                filled = [name for (name,) in cursor.fetchall()]
            if len(filled) > QUICK_FLUSH_MAX_TABLES:
                return truncate(self, style, tables)
            return [
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(quote(t))};" for t in filled
            ]

        return sql_flush

    _replace_once(DatabaseOperations, "sql_flush", make)
