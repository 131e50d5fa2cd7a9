"""Operators and viewers may read scheduler runs in admin (nobody edits them)."""

from django.db import migrations

from caio_site import group_grants

GRANTS = {"operator": ("view_schedulerrun",), "viewer": ("view_schedulerrun",)}


def grant(apps, schema_editor):
    group_grants.grant(apps, "caio_site", GRANTS)


def revoke(apps, schema_editor):
    group_grants.revoke(apps, "caio_site", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("caio_site", "0002_scheduler_run"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
