import uuid

import ura.vault.fields
from django.db import migrations, models

from ura.vault.migration import seal_existing


class Migration(migrations.Migration):
    # A legal hold's reasons (free text about an inquiry or a court case) are sealed: each hold gets
    # its own vault_id, its reasons are sealed, then vault_id becomes unique.

    dependencies = [
        ("governance", "0007_audit_data_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="legalhold",
            name="vault_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="legalhold",
            name="reason",
            field=ura.vault.fields.EncryptedCharField(max_length=300, verbose_name="reason for the hold"),
        ),
        migrations.AlterField(
            model_name="legalhold",
            name="lift_reason",
            field=ura.vault.fields.EncryptedCharField(blank=True, max_length=300,
                                                      verbose_name="reason for lifting the hold"),
        ),
        seal_existing("governance", "legalhold", ["reason", "lift_reason"]),
        migrations.AlterField(
            model_name="legalhold",
            name="vault_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
