from django.db import migrations


def load(apps, schema_editor):
    """Load the instruments Ura ships. A version already present is left exactly as it is."""
    from ura.assessments.instruments import shipped_load

    shipped_load(apps.get_model("assessments", "InstrumentVersion"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
