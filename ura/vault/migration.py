"""Data migrations that seal the values of existing rows (and open them again when reversed).

Each app's migration that introduces encrypted fields runs, in this order: add ``vault_id`` as a
nullable column, alter the fields to their encrypted types, ``seal_existing(...)`` (gives every
row its own ``vault_id`` and seals its non-empty values), then make ``vault_id`` unique.
Raw SQL is used so that the field types' own rules (no plaintext writes) do not get in the way.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import migrations

from ura.vault.crypto import PREFIX, open_, seal


def _rows(schema_editor: Any, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    q = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(q(c) for c in ['id', 'vault_id', *columns])} FROM {q(table)}")  # noqa: S608
        return list(cursor.fetchall())


def _write(schema_editor: Any, table: str, pk: Any, values: dict[str, Any]) -> None:
    q = schema_editor.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in values)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q(table)} SET {sets} WHERE {q('id')} = %s", [*values.values(), pk])  # noqa: S608


def seal_existing(app_label: str, model_name: str, fields: list[str]) -> migrations.RunPython:
    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        label, table = model._meta.label_lower, model._meta.db_table
        columns = [model._meta.get_field(f).column for f in fields]
        sqlite = schema_editor.connection.vendor == "sqlite"
        for pk, row_id, *values in _rows(schema_editor, table, columns):
            row = uuid.UUID(str(row_id)) if row_id else uuid.uuid4()
            update: dict[str, Any] = {"vault_id": row.hex if sqlite else row}
            for name, column, value in zip(fields, columns, values, strict=True):
                if value is None or value == "" or (isinstance(value, str) and value.startswith(PREFIX)):
                    continue
                text = value if isinstance(value, str) else json.dumps(value)
                update[column] = seal(text, label=label, field=name, row=str(row))
            _write(schema_editor, table, pk, update)

    def backward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        label, table = model._meta.label_lower, model._meta.db_table
        columns = [model._meta.get_field(f).column for f in fields]
        for pk, row_id, *values in _rows(schema_editor, table, columns):
            update = {}
            for name, column, value in zip(fields, columns, values, strict=True):
                if isinstance(value, str) and value.startswith(PREFIX):
                    update[column] = open_(value, label=label, field=name, row=str(uuid.UUID(str(row_id))))
            if update:
                _write(schema_editor, table, pk, update)

    return migrations.RunPython(forward, backward, elidable=False)
