from django.db import migrations


def load(apps, schema_editor):
    from ura.support.catalogue import catalogue_load

    catalogue_load(apps.get_model("support", "InterventionType"))


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
