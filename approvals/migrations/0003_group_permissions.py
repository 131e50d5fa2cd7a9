"""Grant the approvals permissions to the groups of DESIGN section 4.

head_of_sales decides (``decide_queueitem``) and edits policy data; operator and viewer see the
queue and its records; api_client reads queue state. Groups are fetched by name (created by
caio_site's groups migration, or here when it has not run).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_MODELS = [
    "queueitem",
    "queueevent",
    "sentmessage",
    "suppression",
    "rejectioncategory",
    "rubriccheck",
    "segmentstandard",
    "slapolicy",
    "meetingpreppolicy",
    "sendinglimits",
    "webhookevent",
]
POLICY_MODELS = [
    "rejectioncategory",
    "rubriccheck",
    "segmentstandard",
    "slapolicy",
    "meetingpreppolicy",
    "sendinglimits",
    "suppression",
]

GRANTS = {
    "head_of_sales": [f"view_{m}" for m in VIEW_MODELS]
    + ["decide_queueitem", "change_queueitem"]
    + [f"{action}_{m}" for m in POLICY_MODELS for action in ("add", "change")],
    "operator": [f"view_{m}" for m in VIEW_MODELS],
    "viewer": [f"view_{m}" for m in VIEW_MODELS],
    "api_client": ["view_queueitem", "view_rejectioncategory"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so they can be granted.
    # The migration state's app config is a stub whose models_module create_permissions only
    # reads as a "has models" flag.
    app_config = apps.get_app_config("approvals")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        perms = Permission.objects.filter(content_type__app_label="approvals", codename__in=codenames)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0002_default_policy_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
