"""Who may do what with golden sets and replay runs.

The Head of Sales and operators curate golden cases (review and activate promoted drafts);
everyone in a group may read replay runs; API clients read runs through the API.
"""

from django.db import migrations

from caio_site import group_grants

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
    group_grants.grant(apps, "evaluation", GRANTS)


def revoke(apps, schema_editor):
    group_grants.revoke(apps, "evaluation", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("caio_site", "0001_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
