from django.db import migrations


def load(apps, schema_editor):
    from ura.support.catalogue import CATALOGUE

    InterventionType = apps.get_model("support", "InterventionType")
    for code, name, description, for_children, for_women in CATALOGUE:
        InterventionType.objects.update_or_create(
            code=code, defaults={"name": name, "description": description,
                                 "for_children": for_children, "for_women": for_women})


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
