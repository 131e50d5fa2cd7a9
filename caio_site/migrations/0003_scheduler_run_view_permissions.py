"""Operators and viewers may read scheduler runs in admin (nobody edits them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWERS = ("operator", "viewer")


def grant_view(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so they can be granted.
    # The migration state's app config is a stub without models_module, which
    # create_permissions uses only as an "has models" flag.
    app_config = apps.get_app_config("caio_site")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="caio_site", codename="view_schedulerrun"
    )
    for name in VIEWERS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke_view(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="caio_site", codename="view_schedulerrun"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name__in=VIEWERS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("caio_site", "0002_scheduler_run"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_view, revoke_view)]
