"""The four groups of DESIGN section 4 (names only).

Each app grants its own permissions to these groups in its own data migration, so this one only
makes sure the names exist. Reversing leaves the groups alone: they may hold users by then.
"""

from django.db import migrations

GROUPS = ("head_of_sales", "operator", "viewer", "api_client")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
