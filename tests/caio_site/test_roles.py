"""The roles of caio_site.roles, seen from outside: every admin changelist (and its actions) and
every API operation, for each member of the cast, against the README's table written out here
by hand. Removing a permission from the roles table (or adding one) makes these fail.

Also: the post_migrate sync creates what is missing and removes what is not in the table.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management.sql import emit_post_migrate_signal
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from agents.models import CallPrepJob
from approvals.choices import QueueItemKind
from approvals.models import QueueItem
from caio_site import roles
from tests.evaluation.factories import ReplayRunFactory
from tests.factories import LeadFactory, UserFactory

pytestmark = pytest.mark.django_db

HOS, OPERATOR, VIEWER, API = "hos", "operator", "viewer", "api_client_user"
OUTSIDER, ANONYMOUS, SUPERUSER = "outsider", "anonymous", "superuser"
CAST = (HOS, OPERATOR, VIEWER, API, OUTSIDER, ANONYMOUS, SUPERUSER)
# The README: the Head of Sales, operators and viewers all read what the operator sees.
READERS = frozenset({HOS, OPERATOR, VIEWER})
NOBODY: frozenset[str] = frozenset()

# Who (besides superusers) opens each changelist. The API client is staff in the fixtures, so
# it sees in admin what it may read through the API.
CHANGELISTS = {
    "auth.group": NOBODY,
    "auth.user": NOBODY,
    "authtoken.tokenproxy": NOBODY,
    "caio_site.schedulerrun": READERS,
    "caio_site.runtimelock": {HOS, OPERATOR},  # runtime detail: not for viewers
    "agents.lead": READERS | {API},
    "agents.agentjob": READERS,
    "agents.callprepjob": READERS | {API},
    "approvals.queueitem": READERS | {API},
    "approvals.queueevent": READERS,
    "approvals.sentmessage": READERS,
    "approvals.webhookevent": READERS,
    "approvals.suppression": READERS,
    "approvals.rejectioncategory": READERS | {API},
    "approvals.rubriccheck": READERS,
    "approvals.segmentstandard": READERS,
    "approvals.slapolicy": READERS,
    "approvals.meetingpreppolicy": READERS,
    "approvals.sendinglimits": READERS,
    "traces.traceenvelope": READERS | {API},
    "traces.tracehold": READERS,
    "evaluation.goldenset": READERS,
    "evaluation.goldencase": READERS,
    "evaluation.replayrun": READERS | {API},
    "evaluation.caseresult": READERS | {API},
    "evaluation.escalation": READERS,
    "evaluation.scorecard": READERS,
}
# Who is offered each changelist action (Django's delete_selected aside): the operator runs
# jobs, the Head of Sales decides and signs off, viewers only read.
ACTIONS = {
    "agents.lead": {"requalify": {OPERATOR}},
    "approvals.queueitem": {
        "approve_selected": {HOS},
        "reject_selected": {HOS},
        "retry_failed_sends": {HOS},
        # Offered to every reader; it refuses those without evaluation.add_goldencase.
        "promote_to_golden_draft": READERS | {API},
    },
    "evaluation.goldencase": {"activate": {HOS, OPERATOR}},
    "evaluation.escalation": {
        "acknowledge_escalations": {HOS, OPERATOR},
        "resolve_escalations": {HOS, OPERATOR},
    },
    "evaluation.scorecard": {"sign_off_scorecards": {HOS}},
}

PUBLIC = "public"  # no login: health probes and signed provider webhooks
# Who (besides superusers) passes each API operation's permission check.
OPERATIONS = {
    "health_live": PUBLIC,
    "health_ready": PUBLIC,
    "webhooks_receive": PUBLIC,
    "leads_upsert": {OPERATOR, API},
    "v1_leads_retrieve": READERS | {API},
    "call_prep_create": {OPERATOR, API},
    "v1_call_prep_retrieve": READERS | {API},
    "v1_emails_list": READERS | {API},
    "v1_emails_retrieve": READERS | {API},
    "v1_emails_approve_create": {HOS},
    "v1_emails_reject_create": {HOS},
    "v1_queue_stats_list": READERS | {API},
    "v1_rejection_categories_list": READERS | {API},
    "v1_traces_list": READERS | {API},
    "v1_traces_batch_create": {API},
    "v1_replay_runs_list": READERS | {API},
    "v1_replay_runs_retrieve": READERS | {API},
    "v1_scorecards_list": READERS,
    "runtime_dependencies": {HOS, OPERATOR},
}


@pytest.fixture
def cast_member(request):
    """The user named by the test's ``who`` parameter (None for anonymous)."""
    who = request.node.callspec.params["who"]
    if who == ANONYMOUS:
        return None
    if who == SUPERUSER:
        return UserFactory(username="root", is_staff=True, is_superuser=True)
    return request.getfixturevalue(who)


def _allowed(expected, who: str) -> bool:
    return who == SUPERUSER or who in expected


# --- admin ----------------------------------------------------------------------------------
def test_the_table_covers_every_registered_admin():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(CHANGELISTS)


def _admin_expectation(label: str, who: str) -> int:
    if who in (ANONYMOUS, OUTSIDER):
        return 302  # not staff: the admin sends them to its login page
    return 200 if _allowed(CHANGELISTS[label], who) else 403


@pytest.mark.parametrize("who", CAST)
def test_every_admin_changelist_answers_each_role_as_the_table_says(who, cast_member):
    client = Client()
    if cast_member is not None:
        client.force_login(cast_member)
    statuses, expected, offered, expected_actions = {}, {}, {}, {}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        opts = model_admin.opts
        response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        statuses[label] = response.status_code
        expected[label] = _admin_expectation(label, who)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")
        if response.status_code == 200:
            action_form = response.context["action_form"]
            choices = action_form.fields["action"].choices if action_form else []
            offered[label] = {name for name, _ in choices if name and name != "delete_selected"}
            expected_actions[label] = {
                name for name, holders in ACTIONS.get(label, {}).items() if _allowed(holders, who)
            }
    assert statuses == expected
    assert offered == expected_actions


# --- API ------------------------------------------------------------------------------------
def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield operation["operationId"], method.upper(), path


def test_the_table_covers_every_api_operation():
    assert {operation_id for operation_id, _, _ in _operations()} == set(OPERATIONS)


@pytest.fixture
def objects():
    """One object per detail route, so a permitted read answers 200 rather than 404."""
    lead = LeadFactory()
    return {
        "/api/v1/leads/": lead.pk,
        "/api/v1/call-prep/": CallPrepJob.objects.create(lead=lead, meeting_at=timezone.now()).pk,
        "/api/v1/emails/": QueueItem.objects.create(
            kind=QueueItemKind.EMAIL, lead=lead, agent="draft_email", idempotency_key="roles:1"
        ).pk,
        "/api/v1/replay-runs/": ReplayRunFactory().pk,
    }


# The query a list needs to answer 200 rather than 400.
QUERIES = {"/api/v1/traces/": "?correlation_id=roles-test"}


def _url(path: str, objects: dict) -> str:
    for prefix, pk in objects.items():
        if path.startswith(prefix):
            path = path.replace("{id}", str(pk))
    return path.replace("{provider}", "no-such-provider") + QUERIES.get(path, "")


def _api_expectation(operation_id: str, method: str, who: str) -> int | str:
    holders = OPERATIONS[operation_id]
    if holders == PUBLIC:
        return PUBLIC
    if not _allowed(holders, who):
        return 401 if who == ANONYMOUS else 403
    return 200 if method == "GET" else 400  # an empty body is a field error, not a refusal


@pytest.mark.parametrize("who", CAST)
def test_every_api_operation_answers_each_role_as_the_table_says(who, cast_member, objects):
    api = APIClient()
    if cast_member is not None:
        api.force_authenticate(user=cast_member)
    statuses, expected, unserved, expected_unserved = {}, {}, {}, {}
    for operation_id, method, path in _operations():
        url = _url(path, objects)
        response = api.generic(method, url, "{}", content_type="application/json")
        expected[operation_id] = _api_expectation(operation_id, method, who)
        status = response.status_code
        if expected[operation_id] == PUBLIC and status not in (401, 403):
            status = PUBLIC  # its own answer (200, 503, 404 for the unknown provider)
        statuses[operation_id] = status
        # No route serves DELETE: 405 past the permission check, which an unsafe method may
        # fail (a route's write permission), never anything else.
        unserved[operation_id] = api.delete(url).status_code
        if who == ANONYMOUS and expected[operation_id] != PUBLIC:
            expected_unserved[operation_id] = {401}
        elif who == SUPERUSER or expected[operation_id] == PUBLIC:
            expected_unserved[operation_id] = {405}
        else:
            expected_unserved[operation_id] = {403, 405}
    assert statuses == expected
    assert all(unserved[key] in expected_unserved[key] for key in unserved), unserved


# --- the sync -------------------------------------------------------------------------------
def _held() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=roles.ROLES)
    }


def test_after_migrate_each_group_holds_exactly_its_table_entry():
    assert _held() == {name: set(permissions) for name, permissions in roles.ROLES.items()}


def test_the_sync_is_idempotent_and_removes_a_stray_permission():
    viewer = Group.objects.get(name=roles.VIEWER)
    viewer.permissions.add(Permission.objects.get(codename="decide_queueitem"))

    roles.sync_roles()
    after_first = _held()
    roles.sync_roles()

    assert _held() == after_first
    assert after_first[roles.VIEWER] == set(roles.ROLES[roles.VIEWER])
    assert "approvals.decide_queueitem" not in after_first[roles.VIEWER]


def test_post_migrate_recreates_missing_groups_and_permission_rows():
    Group.objects.filter(name__in=roles.ROLES).delete()
    Permission.objects.filter(codename="signoff_scorecard").delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert _held() == {name: set(permissions) for name, permissions in roles.ROLES.items()}


def test_a_permission_the_table_names_but_no_model_declares_is_an_error(monkeypatch):
    monkeypatch.setitem(roles.ROLES, roles.VIEWER, frozenset({"agents.fly_lead"}))
    with pytest.raises(ImproperlyConfigured, match="agents.fly_lead"):
        roles.sync_roles()
