"""Audit chain format 2: each event's hash is taken over its canonical line
(``ura.governance.canonical``) instead of canonical JSON, so ``ura audit verify`` can rebuild it
from raw column values without a JSON round trip per event.

Existing events are re-chained in seq order: the same events, the same order, new ``prev_hash``
and ``hash``. Anchors taken before this migration name format-1 hashes and no longer match; take
a new anchor (``ura audit anchor``) after migrating. On SQLite ``data`` is rewritten as the JSON
text the new format hashes; on PostgreSQL the append-only guard is lifted for this transaction
only.
"""

import hashlib

from django.db import migrations, models

import ura.governance.canonical
from ura.governance.canonical import canonical_line

BATCH = 2000
GENESIS = "0" * 64
GUARD_ROWS = "ura_audit_event_no_update_delete"
FIELDS = ("id", "seq", "created_at", "actor_id", "agency_id", "mechanism_id", "action", "object_type", "object_id",
          "case_id", "person_id", "reason", "data")


def rechain(apps, schema_editor):
    Event = apps.get_model("governance", "AuditEvent")
    Head = apps.get_model("governance", "AuditHead")
    alias = schema_editor.connection.alias
    postgresql = schema_editor.connection.vendor == "postgresql"
    table = schema_editor.quote_name(Event._meta.db_table)
    events = Event.objects.using(alias)
    if not events.exists():
        return
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {GUARD_ROWS}")
    seq, prev, after = 0, GENESIS, None
    while True:
        page = events.order_by("seq")
        if after is not None:
            page = page.filter(seq__gt=after)
        batch = list(page.only(*FIELDS)[:BATCH])
        if not batch:
            break
        for event in batch:
            event.prev_hash = prev
            line = canonical_line({name: getattr(event, name) for name in (*FIELDS, "prev_hash")})
            event.hash = prev = hashlib.sha256(line.encode("utf-8")).hexdigest()
            seq = event.seq
        # SQLite keeps the JSON text as written: store it as the text now hashed.
        events.bulk_update(batch, ["prev_hash", "hash"] if postgresql else ["prev_hash", "hash", "data"])
        after = batch[-1].seq
    Head.objects.using(alias).update_or_create(id=1, defaults={"seq": seq, "hash": prev})
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {GUARD_ROWS}")


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0005_encrypted_fields"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, encoder=ura.governance.canonical.CanonicalJSONEncoder),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]
