import json
import uuid

from django.db import migrations, models

import ura.vault.fields
from ura.vault.crypto import seal

# Free text that timeline entries used to keep in ``data`` (in clear) and now keep in ``note``,
# sealed: a transition's reason, a decision's reasons, a handover's answer. A household's name
# (replaced by nothing: the entry is about the household the case is in) is dropped too.
TEXT_KEYS = ("reason", "reasons", "response")


def forward(apps, schema_editor):
    conn = schema_editor.connection
    q = schema_editor.quote_name
    sqlite = conn.vendor == "sqlite"
    json_param = "%s" if sqlite else "CAST(%s AS jsonb)"
    with conn.cursor() as cur:
        cur.execute(f"SELECT {q('id')}, {q('data')} FROM {q('cases_timelineentry')}")
        rows = cur.fetchall()
    for pk, data in rows:
        data = json.loads(data) if isinstance(data, str) else dict(data or {})
        row = uuid.uuid4()
        texts = [str(data.pop(k)) for k in TEXT_KEYS if data.get(k)]
        for k in TEXT_KEYS:
            data.pop(k, None)
        if isinstance(data.get("household"), str):
            data.pop("household")
        note = seal("\n".join(texts), label="cases.timelineentry", field="note", row=str(row)) if texts else ""
        with conn.cursor() as cur:
            cur.execute(f"UPDATE {q('cases_timelineentry')} SET {q('vault_id')} = %s, {q('note')} = %s, "
                        f"{q('data')} = {json_param} WHERE {q('id')} = %s",
                        [row.hex if sqlite else row, note, json.dumps(data), pk])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_encrypted_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="timelineentry",
            name="vault_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="timelineentry",
            name="note",
            field=ura.vault.fields.EncryptedTextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="timelineentry",
            name="vault_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
