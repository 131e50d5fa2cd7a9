"""Formerly granted the approvals permissions to the groups.

The groups and their permissions now come from caio_site/roles.py, synced after every migrate;
this migration is kept empty so the migration graph stays as it was.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0002_default_policy_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations: list = []
