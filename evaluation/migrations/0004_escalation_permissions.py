"""Who may see and handle escalations: the Head of Sales and operators acknowledge and resolve
them (admin actions need change_escalation); viewers read them."""

from django.db import migrations

from caio_site import group_grants

GRANTS = {
    "head_of_sales": ("view_escalation", "change_escalation"),
    "operator": ("view_escalation", "change_escalation"),
    "viewer": ("view_escalation",),
}


def grant(apps, schema_editor):
    group_grants.grant(apps, "evaluation", GRANTS)


def revoke(apps, schema_editor):
    group_grants.revoke(apps, "evaluation", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_escalation")]

    operations = [migrations.RunPython(grant, revoke)]
