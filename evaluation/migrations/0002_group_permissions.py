"""Formerly granted the golden-set and replay permissions to the groups.

The groups and their permissions now come from caio_site/roles.py, synced after every migrate;
this migration is kept empty so the migration graph stays as it was.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("caio_site", "0001_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations: list = []
