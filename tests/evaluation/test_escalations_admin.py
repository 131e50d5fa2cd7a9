"""Escalation admin: a fast changelist, read-only records, acknowledge and resolve actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.choices import EscalationRule, EscalationStatus, Severity
from evaluation.escalations import resolve
from evaluation.models import Escalation

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:evaluation_escalation_changelist"


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@caio.example", "pw")


@pytest.fixture
def root_client(client, root):
    client.force_login(root)
    return client


def _escalations(count: int, start: int = 0, **fields) -> list[Escalation]:
    """``count`` escalations, one per day (the rule/day key is unique)."""
    today = timezone.now().date()
    return [
        Escalation.objects.create(
            rule=fields.get("rule", EscalationRule.QUEUE_AGING),
            day=today - timedelta(days=start + index),
            severity=fields.get("severity", Severity.MAJOR),
            status=fields.get("status", EscalationStatus.OPEN),
            title=f"{start + index} pending draft(s) past the SLA",
            detail={"count": start + index},
            created_at=timezone.now() - timedelta(days=start + index),
        )
        for index in range(count)
    ]


def _post_action(client, action: str, escalations):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [e.pk for e in escalations]},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_changelist_query_count_does_not_grow_with_escalations(root_client, hos, operator):
    first = _escalations(3)
    resolve(first[0].pk, actor=hos)
    url = reverse(CHANGELIST)
    root_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert root_client.get(url).status_code == 200
    for escalation in _escalations(20, start=3):
        resolve(escalation.pk, actor=operator)
    with CaptureQueriesContext(connection) as many:
        response = root_client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    assert "22 pending draft(s) past the SLA" in response.content.decode()


def test_the_changelist_filters_by_rule_status_and_severity(root_client):
    _escalations(2)
    critical = _escalations(1, rule=EscalationRule.REDIS_UNAVAILABLE, severity=Severity.CRITICAL)[0]
    response = root_client.get(
        reverse(CHANGELIST),
        {
            "rule__exact": "redis_unavailable",
            "status__exact": "open",
            "severity__exact": "critical",
        },
    )
    assert [e.pk for e in response.context["cl"].result_list] == [critical.pk]


def test_escalations_cannot_be_added_edited_or_deleted_by_hand(root_client):
    escalation = _escalations(1)[0]
    assert root_client.get(reverse("admin:evaluation_escalation_add")).status_code == 403
    page = root_client.get(reverse("admin:evaluation_escalation_change", args=[escalation.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    for field in ("title", "status", "severity", "rule", "detail"):
        assert f'name="{field}"' not in content
    assert (
        root_client.get(
            reverse("admin:evaluation_escalation_delete", args=[escalation.pk])
        ).status_code
        == 403
    )


def test_the_acknowledge_action_acknowledges_and_reports_the_count(root_client, root):
    escalations = _escalations(2)
    response = _post_action(root_client, "acknowledge_escalations", escalations)
    assert _messages(response) == ["Acknowledged 2 escalation(s)."]
    assert set(Escalation.objects.values_list("status", "acknowledged_by")) == {
        (EscalationStatus.ACKNOWLEDGED, root.pk)
    }


def test_the_resolve_action_skips_conflicts_and_says_so(root_client, root, hos):
    done, open_one = _escalations(2)
    resolve(done.pk, actor=hos)
    response = _post_action(root_client, "resolve_escalations", [done, open_one])
    [message] = _messages(response)
    assert message.startswith("Resolved 1 escalation(s); 1 skipped (escalation")
    assert "is resolved, not open" in message
    done.refresh_from_db()
    open_one.refresh_from_db()
    assert (done.resolved_by_id, open_one.resolved_by_id) == (hos.pk, root.pk)


def test_a_viewer_sees_escalations_but_has_no_actions(client, viewer):
    _escalations(1)
    client.force_login(viewer)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "acknowledge_escalations" not in response.content.decode()


def test_an_operator_can_acknowledge(client, operator):
    escalation = _escalations(1)[0]
    client.force_login(operator)
    response = _post_action(client, "acknowledge_escalations", [escalation])
    assert _messages(response) == ["Acknowledged 1 escalation(s)."]
