import ura.vault.fields
from django.db import migrations

from ura.vault.migration import seal_existing


class Migration(migrations.Migration):
    # The referrer's name and contact are sealed like the rest of the referral.

    dependencies = [
        ("cases", "0003_timeline_note"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="referrer_contact",
            field=ura.vault.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="referrer's contact"),
        ),
        migrations.AlterField(
            model_name="case",
            name="referrer_name",
            field=ura.vault.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="referrer"),
        ),
        seal_existing("cases", "case", ["referrer_name", "referrer_contact"]),
    ]
