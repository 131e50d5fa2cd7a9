"""Formerly granted the scheduler-run view permission.

The groups and their permissions now come from caio_site/roles.py, synced after every migrate;
this migration is kept empty so the migration graph stays as it was.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("caio_site", "0002_scheduler_run"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations: list = []
