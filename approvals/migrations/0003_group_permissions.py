"""Grant the approvals permissions to the groups of DESIGN section 4.

head_of_sales decides (``decide_queueitem``) and edits policy data; operator and viewer see the
queue and its records; api_client reads queue state. Groups are fetched by name (created by
caio_site's groups migration, or here when it has not run).
"""

from django.db import migrations

from caio_site import group_grants

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
    group_grants.grant(apps, "approvals", GRANTS)


def revoke(apps, schema_editor):
    group_grants.revoke(apps, "approvals", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0002_default_policy_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
