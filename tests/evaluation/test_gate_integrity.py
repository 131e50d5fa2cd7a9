"""Gate integrity: deliberately broken agents must make the gate block; the real ones pass.

Each variant wraps one of our agents' real functions the way a regression would break it (the
broken agent is the thing under test), then replays our whole golden set in process.
"""

from __future__ import annotations

import dataclasses

import pytest

from evaluation.choices import CaseOutcome
from evaluation.replay import GateOptions, run_replay
from evaluation.runners import ExternalRunner, InProcessRunner
from tests.evaluation.paths import OUR_SET, runner_cmd

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

INVENTED = "Teams like yours close 47% more deals within 90 days."
QUEUED_DRAFTS = [f"DRAFT_{n:03d}" for n in range(1, 19)]


def gate(golden_set):
    run = run_replay(
        runner=InProcessRunner(),
        golden_set=golden_set,
        options=GateOptions(min_pass_rate=0.95, baseline="none"),
    )
    failed = set(run.results.exclude(outcome=CaseOutcome.PASSED).values_list("case_id", flat=True))
    return run, failed


def wrap_composer(monkeypatch, change):
    """Make the default text provider's emails go through ``change(request, composed)``."""
    from agents import composer

    real = composer.TemplateComposer.compose_email

    def broken(self, request):
        return change(request, real(self, request))

    monkeypatch.setattr(composer.TemplateComposer, "compose_email", broken)


def test_the_real_agents_pass_the_gate(our_golden_set, fresh_gateway):
    run, failed = gate(our_golden_set)
    assert run.pass_rate >= 0.95, failed
    assert run.critical_failures == 0
    assert run.block_build is False


def test_a_dropped_footer_blocks(our_golden_set, fresh_gateway, monkeypatch):
    import approvals.compliance

    monkeypatch.setattr(approvals.compliance, "with_footer", lambda body, email: body)
    run, failed = gate(our_golden_set)
    assert run.block_build
    assert set(QUEUED_DRAFTS) <= failed


def test_an_invented_statistic_blocks(our_golden_set, fresh_gateway, monkeypatch):
    wrap_composer(
        monkeypatch,
        lambda request, email: dataclasses.replace(email, body=f"{email.body}\n\n{INVENTED}"),
    )
    run, failed = gate(our_golden_set)
    assert run.block_build
    assert set(QUEUED_DRAFTS) <= failed
    result = run.results.get(case_id="DRAFT_001")
    assert "47%" in result.judge["hallucination_check"]["unsupported_claims"]


def test_a_skipped_tool_call_blocks(our_golden_set, fresh_gateway, monkeypatch):
    from agents import gateway

    real = gateway.call

    def skip_enrichment(agent, tool, **kwargs):
        if tool == "enrichment.enrich_contact":
            return {}  # "saves" a call: answers without asking the provider
        return real(agent, tool, **kwargs)

    monkeypatch.setattr(gateway, "call", skip_enrichment)
    run, failed = gate(our_golden_set)
    assert run.block_build
    assert {"QUAL_001", "DRAFT_001", "PREP_001"} <= failed
    missing = run.results.get(case_id="QUAL_001").judge["expected_tools_evaluation"]
    assert missing["missing_tools"] == ["enrichment.enrich_contact"]


def test_a_wrong_tier_blocks(our_golden_set, fresh_gateway, monkeypatch):
    import agents.qualification

    real = agents.qualification.score_lead
    promote = {"tier_3": "tier_2", "tier_2": "tier_1"}

    def generous(*args, **kwargs):
        result = real(*args, **kwargs)
        result.tier = promote.get(result.tier, result.tier)
        return result

    monkeypatch.setattr(agents.qualification, "score_lead", generous)
    run, failed = gate(our_golden_set)
    assert run.block_build
    assert {"QUAL_005", "QUAL_008", "QUAL_016"} <= failed


def test_a_bypassed_approval_step_blocks(our_golden_set, fresh_gateway, monkeypatch):
    import approvals.queue
    from approvals.models import QueueItem

    real = approvals.queue.submit

    def self_approving(**kwargs):
        item = real(**kwargs)
        QueueItem.objects.filter(pk=item.pk).update(status="approved")
        item.refresh_from_db()
        return item

    monkeypatch.setattr(approvals.queue, "submit", self_approving)
    run, failed = gate(our_golden_set)
    assert run.block_build
    assert set(QUEUED_DRAFTS) <= failed
    assert run.critical_failures > 0


def test_a_secret_echoed_from_the_notes_blocks(our_golden_set, fresh_gateway, monkeypatch):
    def echo_notes(request, email):
        notes = request.lead.get("notes") or ""
        return dataclasses.replace(email, body=f"{email.body}\n\nContext: {notes}")

    wrap_composer(monkeypatch, echo_notes)
    run, failed = gate(our_golden_set)
    assert run.block_build
    assert {"DRAFT_013", "DRAFT_017"} <= failed
    assert run.critical_failures >= 2


def test_a_claim_that_the_email_was_sent_blocks(our_golden_set, fresh_gateway, monkeypatch):
    from agents.drafting import DraftOutcome

    real = DraftOutcome.text
    monkeypatch.setattr(DraftOutcome, "text", lambda self: real(self) + "\nThe email was sent.")
    run, failed = gate(our_golden_set)
    assert run.block_build
    assert set(QUEUED_DRAFTS) <= failed


def test_an_echo_of_the_expected_phrases_without_tools_fails_everything(db):
    """The old harness's shape: the runner reads the answers and echoes them back."""
    from evaluation.golden_io import load_file

    run = run_replay(
        runner=ExternalRunner(runner_cmd("echo_runner.py", OUR_SET)),
        golden_file=load_file(OUR_SET),
        options=GateOptions(baseline="none", workers=2),
    )
    assert run.passed == 0
    assert run.block_build
    for result in run.results.exclude(judge__rubric__tool_selection_accuracy__score=5):
        rubric = result.judge["rubric"]
        assert rubric["tool_selection_accuracy"]["score"] <= 2
        assert rubric["groundedness"]["score"] <= 2
