"""Who may read and post traces: the people who run the system read them, API clients (external
agents) may also post batches. Nobody edits or deletes them by hand (prune_traces does)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ("head_of_sales", "operator", "viewer", "api_client")
ADD = ("api_client",)


def _permission(apps, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="traces", codename=codename)


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so they can be granted.
    app_config = apps.get_app_config("traces")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    view, add = _permission(apps, "view_traceenvelope"), _permission(apps, "add_traceenvelope")
    for name in VIEW:
        Group.objects.get_or_create(name=name)[0].permissions.add(view)
    for name in ADD:
        Group.objects.get_or_create(name=name)[0].permissions.add(add)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="traces",
        codename__in=("view_traceenvelope", "add_traceenvelope"),
    )
    for group in Group.objects.filter(name__in=VIEW):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("traces", "0001_initial"),
        ("caio_site", "0001_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
