"""A trigram index on Case.search_text, on PostgreSQL only: a word search (LIKE '%word%') that would read every
case reads the index instead (a word that matches nothing: about 1 s at a million cases, about 9 ms with it).

pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it without being a
superuser. Where even that is not allowed, the migration says so and goes on without the index; search still
works, only slower at large sizes (once the extension is allowed, `manage.py migrate cases 0007` and then
`manage.py migrate` build it). SQLite has nothing to do.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "case_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001
        logger.warning("pg_trgm could not be created (%s): case search works without its index", error)
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_onetimecode")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
