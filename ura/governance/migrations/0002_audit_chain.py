"""Chain the audit events (seq, prev_hash, hash) and make the table append-only on PostgreSQL.

Existing events are numbered and hashed in id order, the order they were written in.
"""

from django.db import migrations, models

from ura.governance.chain import GENESIS, HASHED_FIELDS, event_hash

BATCH = 1000
GUARD_FUNCTION = "ura_audit_event_append_only"
GUARD_ROWS = "ura_audit_event_no_update_delete"
GUARD_TRUNCATE = "ura_audit_event_no_truncate"


def backfill(apps, schema_editor):
    Event = apps.get_model("governance", "AuditEvent")
    Head = apps.get_model("governance", "AuditHead")
    events = Event.objects.using(schema_editor.connection.alias)
    seq, prev, after = 0, GENESIS, 0
    while True:
        batch = list(events.filter(id__gt=after).order_by("id")[:BATCH])
        if not batch:
            break
        for event in batch:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = event_hash({name: getattr(event, name) for name in HASHED_FIELDS})
        events.bulk_update(batch, ["seq", "prev_hash", "hash"])
        after = batch[-1].id
    Head.objects.using(schema_editor.connection.alias).create(id=1, seq=seq, hash=prev)


def guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("governance", "AuditEvent")._meta.db_table)
    schema_editor.execute(f"""
        CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'Audit events are append-only: % on % refused.', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
    """, params=None)  # no placeholders: the % above are PL/pgSQL's
    schema_editor.execute(f"CREATE TRIGGER {GUARD_ROWS} BEFORE UPDATE OR DELETE ON {table} "
                          f"FOR EACH STATEMENT EXECUTE FUNCTION {GUARD_FUNCTION}()")
    schema_editor.execute(f"CREATE TRIGGER {GUARD_TRUNCATE} BEFORE TRUNCATE ON {table} "
                          f"FOR EACH STATEMENT EXECUTE FUNCTION {GUARD_FUNCTION}()")


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("governance", "AuditEvent")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {GUARD_TRUNCATE} ON {table}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {GUARD_ROWS} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {GUARD_FUNCTION}()")


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "audit chain head",
                "verbose_name_plural": "audit chain head",
            },
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["seq"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
        migrations.RunPython(guard, unguard),
    ]
