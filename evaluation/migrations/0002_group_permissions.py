"""Who may do what with golden sets and replay runs.

The Head of Sales and operators curate golden cases (review and activate promoted drafts);
everyone in a group may read replay runs; API clients read runs through the API.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "head_of_sales": (
        "view_goldenset",
        "add_goldenset",
        "change_goldenset",
        "view_goldencase",
        "add_goldencase",
        "change_goldencase",
        "view_replayrun",
        "view_caseresult",
    ),
    "operator": (
        "view_goldenset",
        "add_goldenset",
        "change_goldenset",
        "view_goldencase",
        "add_goldencase",
        "change_goldencase",
        "view_replayrun",
        "view_caseresult",
    ),
    "viewer": ("view_goldenset", "view_goldencase", "view_replayrun", "view_caseresult"),
    "api_client": ("view_replayrun", "view_caseresult"),
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so they can be granted
    # (create_permissions reads models_module only as a "has models" flag; the original is put
    # back, so the tests can call this with the real app registry too).
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
            *Permission.objects.filter(
                content_type__app_label="evaluation", codename__in=codenames
            )
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
    dependencies = [
        ("evaluation", "0001_initial"),
        ("caio_site", "0001_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
