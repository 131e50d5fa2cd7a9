"""Load the default Head of Sales policy data (DESIGN section 9) from ``approvals.defaults``.

The one copy of the defaults lives in that module (the model defaults use it too); this
migration loads it once, into a new database. Editing the module later does not rewrite a
migrated database: this migration has already run there, and ``install`` leaves existing rows
alone anyway. A change meant for existing databases needs its own data migration.
"""

from django.db import migrations

from approvals import defaults


def load_defaults(apps, schema_editor):
    defaults.install(apps)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
