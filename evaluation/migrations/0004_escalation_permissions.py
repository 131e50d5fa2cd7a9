"""Who may see and handle escalations: the Head of Sales and operators acknowledge and resolve
them (admin actions need change_escalation); viewers read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "head_of_sales": ("view_escalation", "change_escalation"),
    "operator": ("view_escalation", "change_escalation"),
    "viewer": ("view_escalation",),
}


def grant(apps, schema_editor):
    # As in 0002: create the permissions now so they can be granted during migrate.
    app_config = apps.get_app_config("evaluation")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="evaluation", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="evaluation", codename__in=GRANTS[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_escalation")]

    operations = [migrations.RunPython(grant, revoke)]
