"""The roles: one table of group name → permissions (``app_label.codename``).

This table is the only place that says who may do what. ``sync_roles`` makes the database match
it after every ``migrate`` (and every test flush): it creates the groups, gives each exactly the
permissions listed here and takes away any other. Code never asks for a group by name; it asks
``user.has_perm(...)``, and the superuser holds every permission.

The custom permissions are declared on the models they are about:

- ``approvals.decide_queueitem`` (QueueItem): approve, edit and approve, reject drafts;
- ``evaluation.signoff_scorecard`` (Scorecard): sign off a weekly scorecard;
- ``caio_site.view_runtime_detail`` (RuntimeLock): the dependency detail of
  ``/api/v1/runtime/dependencies/`` (hosts, latencies, fallbacks);
- ``agents.submit_lead`` (Lead): create or update leads by email through the API. Not Django's
  ``add_lead``: a submitted lead goes through ``agents.importing.upsert_lead`` and is queued for
  qualification, and nobody adds leads with the admin's add form;
- ``agents.requalify_lead`` (Lead): re-run qualification from the admin.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction

HEAD_OF_SALES = "head_of_sales"
OPERATOR = "operator"
VIEWER = "viewer"
API_CLIENT = "api_client"

# What the people who run the system read: every list in admin except the runtime internals.
READ_EVERYTHING = frozenset(
    {
        "agents.view_lead",
        "agents.view_agentjob",
        "agents.view_callprepjob",
        "approvals.view_queueitem",
        "approvals.view_queueevent",
        "approvals.view_sentmessage",
        "approvals.view_webhookevent",
        "approvals.view_suppression",
        "approvals.view_rejectioncategory",
        "approvals.view_rubriccheck",
        "approvals.view_segmentstandard",
        "approvals.view_slapolicy",
        "approvals.view_meetingpreppolicy",
        "approvals.view_sendinglimits",
        "traces.view_traceenvelope",
        "traces.view_tracehold",
        "evaluation.view_goldenset",
        "evaluation.view_goldencase",
        "evaluation.view_replayrun",
        "evaluation.view_caseresult",
        "evaluation.view_escalation",
        "evaluation.view_scorecard",
        "caio_site.view_schedulerrun",
    }
)
# Hosts, latencies, fallback state and lock leases: for the people who run the system.
RUNTIME_DETAIL = frozenset({"caio_site.view_runtime_detail", "caio_site.view_runtimelock"})
# Reviewing and activating golden cases (including those promoted from the queue).
CURATE_GOLDEN_SETS = frozenset(
    {
        "evaluation.add_goldenset",
        "evaluation.change_goldenset",
        "evaluation.add_goldencase",
        "evaluation.change_goldencase",
    }
)
# Acknowledging and resolving escalations (the admin actions need the change permission).
HANDLE_ESCALATIONS = frozenset({"evaluation.change_escalation"})
# The Head of Sales' policy data (DESIGN section 4): edited, never deleted, in admin.
POLICY_MODELS = (
    "rejectioncategory",
    "rubriccheck",
    "segmentstandard",
    "slapolicy",
    "meetingpreppolicy",
    "sendinglimits",
    "suppression",
)
OWN_POLICY = frozenset(
    f"approvals.{action}_{model}" for model in POLICY_MODELS for action in ("add", "change")
)

ROLES: dict[str, frozenset[str]] = {
    # Decides drafts, owns the policy data, signs off scorecards, sees what the operator sees.
    HEAD_OF_SALES: READ_EVERYTHING
    | RUNTIME_DETAIL
    | OWN_POLICY
    | CURATE_GOLDEN_SETS
    | HANDLE_ESCALATIONS
    | {"approvals.decide_queueitem", "evaluation.signoff_scorecard"},
    # Sees everything, runs jobs and commands; never decides.
    OPERATOR: READ_EVERYTHING
    | RUNTIME_DETAIL
    | CURATE_GOLDEN_SETS
    | HANDLE_ESCALATIONS
    | {"agents.requalify_lead", "agents.submit_lead", "agents.add_callprepjob"},
    # Reads the same lists; no runtime detail.
    VIEWER: READ_EVERYTHING,
    # Other systems: submit leads and call-prep jobs, post traces, read queue state and runs.
    API_CLIENT: frozenset(
        {
            "agents.view_lead",
            "agents.submit_lead",
            "agents.view_callprepjob",
            "agents.add_callprepjob",
            "approvals.view_queueitem",
            "approvals.view_rejectioncategory",
            "traces.view_traceenvelope",
            "traces.add_traceenvelope",
            "evaluation.view_replayrun",
            "evaluation.view_caseresult",
        }
    ),
}


def sync_roles(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make the groups hold exactly the permissions of ``ROLES`` (idempotent).

    The permission rows are created first: Django creates them after each app's migrations, and
    on a fresh database some apps have not had their turn when this runs.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    unknown = sorted(set().union(*ROLES.values()) - known.keys())
    if unknown:
        raise ImproperlyConfigured(f"caio_site.roles names unknown permissions: {unknown}")
    with transaction.atomic(using=using):
        for name, permissions in ROLES.items():
            group, _ = Group.objects.using(using).get_or_create(name=name)
            group.permissions.set([known[permission] for permission in permissions])


def sync_roles_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The ``post_migrate`` receiver (connected in ``CaioSiteConfig.ready``)."""
    sync_roles(using=using)
