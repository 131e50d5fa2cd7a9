"""Who may read and post traces: the people who run the system read them, API clients (external
agents) may also post batches. Nobody edits or deletes them by hand (prune_traces does)."""

from django.db import migrations

from caio_site import group_grants

GRANTS = {
    "head_of_sales": ("view_traceenvelope",),
    "operator": ("view_traceenvelope",),
    "viewer": ("view_traceenvelope",),
    "api_client": ("view_traceenvelope", "add_traceenvelope"),
}


def grant(apps, schema_editor):
    group_grants.grant(apps, "traces", GRANTS)


def revoke(apps, schema_editor):
    group_grants.revoke(apps, "traces", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("traces", "0001_initial"),
        ("caio_site", "0001_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
