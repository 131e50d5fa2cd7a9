"""Admin: the run page, read-only results, activation, and the queue's promote action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals import decisions
from evaluation.choices import CaseOutcome
from evaluation.models import GoldenCase
from tests.evaluation.factories import (
    CaseResultFactory,
    GoldenCaseFactory,
    ReplayRunFactory,
)
from tests.evaluation.test_promotion import queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@caio.example", "pw")
    client.force_login(user)
    return client


def test_the_run_page_shows_pass_fail_per_case_and_the_baseline_flip(superuser_client):
    baseline = ReplayRunFactory()
    run = ReplayRunFactory(
        baseline=baseline,
        block_build=True,
        block_reasons=["1 critical case(s) failed: Q_2"],
        baseline_diff={
            "baseline_run": baseline.pk,
            "baseline_mean_score": 4.75,
            "mean_score_drop": 0.5,
            "pass_to_fail": ["Q_2"],
            "fail_to_pass": [],
            "score_deltas": [],
        },
    )
    CaseResultFactory(run=run, case_id="Q_1")
    CaseResultFactory(
        run=run,
        case_id="Q_2",
        outcome=CaseOutcome.FAILED,
        baseline_outcome=CaseOutcome.PASSED,
        judge={"final_verdict": "FAIL (auto-fail): groundedness 2 ≤ 2"},
    )
    response = superuser_client.get(reverse("admin:evaluation_replayrun_change", args=[run.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Q_1" in page
    assert "(pass→fail)" in page
    assert "groundedness 2 ≤ 2" in page
    assert "1 critical case(s) failed: Q_2" in page


def test_runs_and_results_are_read_only(superuser_client):
    result = CaseResultFactory()
    page = superuser_client.get(reverse("admin:evaluation_caseresult_change", args=[result.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert superuser_client.get(reverse("admin:evaluation_replayrun_add")).status_code == 403


def test_the_run_changelist_query_count_does_not_grow_with_runs(superuser_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:evaluation_replayrun_changelist")
    ReplayRunFactory.create_batch(3)
    superuser_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert superuser_client.get(url).status_code == 200
    ReplayRunFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        assert superuser_client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_run_page_query_count_does_not_grow_with_cases(superuser_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = ReplayRunFactory()
    CaseResultFactory.create_batch(2, run=run)
    url = reverse("admin:evaluation_replayrun_change", args=[run.pk])
    superuser_client.get(url)
    with CaptureQueriesContext(connection) as few:
        superuser_client.get(url)
    CaseResultFactory.create_batch(40, run=run)
    with CaptureQueriesContext(connection) as many:
        assert superuser_client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_activate_action_turns_drafts_on(superuser_client):
    draft = GoldenCaseFactory(active=False)
    response = superuser_client.post(
        reverse("admin:evaluation_goldencase_changelist"),
        {"action": "activate", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Activated 1 case(s)" in response.content.decode()
    draft.refresh_from_db()
    assert draft.active


def test_the_queue_admin_offers_promotion_and_it_creates_drafts(superuser_client, hos):
    item = queued()
    decisions.reject(item, actor=hos, category="weak_subject", reason="Bland")
    # The Head of Sales filters the inbox to rejected items, selects them and promotes.
    response = superuser_client.post(
        reverse("admin:approvals_queueitem_changelist") + "?status=rejected",
        {"action": "promote_to_golden_draft", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "Created 1 draft golden case(s)" in response.content.decode()
    case = GoldenCase.objects.get()
    assert case.active is False
    assert {"type": "not_contains", "value": item.subject} in case.negative_constraints


def test_promotion_needs_permission_to_add_golden_cases(client, viewer, hos):
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(*Permission.objects.filter(codename="view_queueitem"))
    client.force_login(viewer)
    item = queued()
    decisions.reject(item, actor=hos, category="weak_subject", reason="Bland")
    response = client.post(
        reverse("admin:approvals_queueitem_changelist") + "?status=rejected",
        {"action": "promote_to_golden_draft", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "You may not create golden cases" in response.content.decode()
    assert not GoldenCase.objects.exists()


def test_a_case_with_an_unusable_constraint_is_refused_with_a_field_error(superuser_client):
    case = GoldenCaseFactory()
    url = reverse("admin:evaluation_goldencase_change", args=[case.pk])
    response = superuser_client.post(
        url,
        {
            "golden_set": case.golden_set_id,
            "case_id": case.case_id,
            "category": "core",
            "severity": "major",
            "agent": "qualify",
            "input": "{}",
            "expected_tools": '["crm.read_contact"]',
            "positive_constraints": '[{"type": "sounds_good", "value": "x"}]',
            "negative_constraints": "[]",
            "tags": "[]",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "unknown assertion type" in response.content.decode()
    case.refresh_from_db()
    assert case.positive_constraints == [{"type": "icontains", "value": "tier"}]
