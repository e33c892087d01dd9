"""PostgreSQL keeps the audit payload's text beside it, as a generated column.

``ura audit verify`` hashes each event's canonical line, which holds ``data`` as text. Printing
jsonb as text was the largest part of the database's work in a verification; a stored generated
column is computed once, when the event is written, and cannot be written by anyone (an UPDATE of
``data`` — itself refused — would recompute it). SQLite stores the text already: nothing to do.
"""

from django.db import migrations

TABLE = "governance_auditevent"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN data_text text "
                              "GENERATED ALWAYS AS (data::text) STORED")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN data_text")


class Migration(migrations.Migration):
    dependencies = [("governance", "0006_audit_chain_format_2")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
