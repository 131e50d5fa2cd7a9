"""The judge: every score at its boundaries, the auto-fail rules, the pass mark, the schema."""

from __future__ import annotations

import pytest

from evaluation.cases import CaseSpec, RunnerOutput
from evaluation.judge import extract_claims, judge_case, score_consistency, score_tools
from evaluation.judge_schema import validate_judge_output

TOOLS = ("crm.read_contact", "enrichment.enrich_contact", "knowledge.read_standards")
CONTEXT = [
    '{"first_name": "Maya", "last_name": "Chen", "company": "Brightpath Agency", '
    '"employee_count": 140, "revenue_band": "$10M-$50M", "tech_stack": ["HubSpot"]}',
    '{"meeting": {"at": "2026-12-01T14:00:00+00:00"}}',
]
KNOWLEDGE = ["Agencies cut proposal turnaround by 38%", "CAIO Inc, 100 Market Street"]


def case(**overrides) -> CaseSpec:
    fields = {
        "case_id": "T_1",
        "agent": "draft_email",
        "expected_tools": TOOLS,
        "positive_constraints": ({"type": "icontains", "value": "Brightpath Agency"},),
        "negative_constraints": ({"type": "not_contains", "value": "was sent"},),
    }
    fields.update(overrides)
    return CaseSpec(**fields)


def output(text="Maya, Brightpath Agency teams cut proposal turnaround by 38%.", **overrides):
    fields = {"actual_output": text, "tool_trace_log": list(TOOLS), "rag_context_chunks": CONTEXT}
    fields.update(overrides)
    return RunnerOutput(**fields)


def verdict(case_spec=None, result=None, **kwargs):
    kwargs.setdefault("knowledge", KNOWLEDGE)
    return judge_case(case_spec or case(), result or output(), **kwargs)


# --- tool selection ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("actual", "score", "missing", "unexpected"),
    [
        (list(TOOLS), 5, [], []),
        ([*TOOLS, "calendar.get_events"], 4, [], ["calendar.get_events"]),
        (
            [*TOOLS, "calendar.get_events", "email.send"],
            3,
            [],
            ["calendar.get_events", "email.send"],
        ),
        (list(TOOLS[:2]), 2, ["knowledge.read_standards"], []),
        (["calendar.get_events"], 1, list(TOOLS), ["calendar.get_events"]),
        ([], 1, list(TOOLS), []),
    ],
)
def test_tool_selection_score_at_each_boundary(actual, score, missing, unexpected):
    got, reason, got_missing, got_unexpected = score_tools(TOOLS, actual)
    assert (got, got_missing, got_unexpected) == (score, missing, unexpected)
    assert reason


def test_tool_names_match_exactly_not_by_prefix():
    score, _, missing, unexpected = score_tools(["crm.read_contact"], ["crm.read_contacts"])
    assert (score, missing, unexpected) == (1, ["crm.read_contact"], ["crm.read_contacts"])


def test_no_expected_tools_and_none_called_scores_five():
    assert score_tools([], [])[0] == 5


def test_repeated_calls_of_an_expected_tool_are_not_unexpected():
    assert score_tools(["crm.read_contact"], ["crm.read_contact", "crm.read_contact"])[0] == 5


# --- groundedness ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "score", "unsupported"),
    [
        ("Maya, Brightpath Agency has 140 people on HubSpot.", 5, []),
        ("Maya, Brightpath Agency cut turnaround by 38%.", 5, []),  # approved proof claim
        ("Maya, Brightpath Agency works with Globex.", 4, ["Globex"]),
        ("Maya, Brightpath Agency works with Globex and Initech.", 3, ["Globex", "Initech"]),
        ("Maya, Brightpath Agency cut costs by 47%.", 2, ["47%"]),  # one invented figure
        ("Maya, Globex, Initech and Umbrella agree.", 2, ["Globex", "Initech", "Umbrella"]),
        ("Maya saved $2M and grew 3x.", 1, ["$2M", "3x"]),
        ("Maya met Globex, Initech, Umbrella, Hooli and Acme.", 1, None),
    ],
)
def test_groundedness_score_at_each_boundary(text, score, unsupported):
    judged = verdict(result=output(text))
    assert judged.scores["groundedness"] == score
    if unsupported is not None:
        assert judged.unsupported_claims == unsupported


def test_an_output_with_no_retrieved_context_is_ungrounded_when_the_case_expects_tools():
    judged = verdict(result=output("Brightpath Agency: tier_1.", rag_context_chunks=[]))
    assert judged.scores["groundedness"] == 1
    assert "no retrieved context" in judged.reasons["groundedness"]


def test_dates_and_times_are_grounded_in_iso_context_whatever_their_format():
    judged = verdict(result=output("Maya, see you on December 1 at 14:00 (2026-12-01)."))
    assert judged.scores["groundedness"] == 5
    judged = verdict(result=output("Maya, see you on December 2 at 15:30."))
    assert judged.unsupported_claims == ["December 2", "15:30"]


def test_the_agents_own_computed_results_are_not_world_claims():
    text = "Maya at Brightpath Agency: ICP score 85, confidence 0.75."
    judged = verdict(result=output(text, structured={"icp_score": 85, "confidence": 0.75}))
    assert judged.scores["groundedness"] == 5
    assert verdict(result=output(text)).unsupported_claims == ["85", "0.75"]


def test_claim_extraction_ignores_urls_small_counts_and_sentence_openers():
    claims = extract_claims(
        "Subject: Quick note\nHi Maya,\nHere are 2 ideas. Visit https://x.example/u/8812?t=99."
    )
    assert [c.text for c in claims] == ["Maya"]


# --- completeness ------------------------------------------------------------------------------
@pytest.mark.parametrize(("met", "score"), [(4, 5), (3, 4), (2, 3), (1, 2), (0, 1)])
def test_completeness_score_at_each_boundary(met, score):
    words = ["Alpha", "Bravo", "Charlie", "Delta"]
    positives = tuple({"type": "icontains", "value": w} for w in words)
    text = "Maya: " + " ".join(words[:met]).lower()
    judged = verdict(case(positive_constraints=positives), output(text))
    assert judged.scores["completeness"] == score
    assert len(judged.positives_met) == met
    assert len(judged.positives_missed) == 4 - met


def test_completeness_with_nothing_checkable_is_five_and_descriptives_are_reported():
    spec = case(positive_constraints=({"type": "descriptive", "description": "Be helpful"},))
    judged = verdict(spec)
    assert judged.scores["completeness"] == 5
    assert judged.unchecked == ["Be helpful"]
    assert "Not machine-checkable" in judged.as_schema()["hallucination_check"]["notes"]


# --- consistency -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("baseline", "score"),
    [
        ("a b c d e f g h i j", 5),
        ("a b c d e f g h i X", 5),  # 0.90
        ("a b c d e f g h X X", 4),  # 0.80
        ("a b c d e f X X X X", 3),  # 0.60
        ("a b c X X X X X X X", 2),  # 0.30
        ("X X X X X X X X X X", 1),
        (None, 4),
    ],
)
def test_consistency_score_at_each_boundary(baseline, score):
    assert score_consistency("a b c d e f g h i j", baseline)[0] == score


# --- verdict -----------------------------------------------------------------------------------
def test_a_clean_output_passes_with_reasons_for_every_score():
    judged = verdict()
    assert judged.passed
    assert judged.scores == {
        "tool_selection_accuracy": 5,
        "groundedness": 5,
        "completeness": 5,
        "reliability_consistency": 4,
    }
    assert all(judged.reasons.values())
    validate_judge_output(judged.as_schema())


def test_a_violated_negative_constraint_fails_whatever_the_scores():
    judged = verdict(result=output("Maya, the email to Brightpath Agency was sent."))
    assert not judged.passed
    assert judged.negatives_violated == ["not_contains 'was sent'"]
    assert "auto-fail" in judged.final_verdict


def test_tool_selection_of_two_fails_even_with_a_high_mean():
    judged = verdict(result=output(tool_trace_log=list(TOOLS[:2])))
    assert judged.scores["tool_selection_accuracy"] == 2
    assert judged.overall_score >= 4.0
    assert not judged.passed


def test_groundedness_of_two_fails_even_with_a_high_mean():
    judged = verdict(result=output("Maya, Brightpath Agency cut costs by 47%."))
    assert judged.scores["groundedness"] == 2
    assert judged.overall_score >= 4.0
    assert not judged.passed


def test_the_pass_mark_is_a_mean_of_four():
    # tools 5, grounded 3, complete 4 (3/4), consistency 4 → mean exactly 4.0: passes
    positives = tuple({"type": "icontains", "value": w} for w in ("maya", "brightpath", "x", "y"))
    spec = case(positive_constraints=positives)
    text = "Maya, Brightpath Agency works with Globex and Initech and x."
    judged = verdict(spec, output(text))
    assert judged.overall_score == 4.0
    assert judged.passed
    # one more miss drops completeness to 3 → mean 3.75: fails without any auto-fail
    judged = verdict(spec, output("Maya, Brightpath Agency works with Globex and Initech."))
    assert judged.overall_score == 3.75
    assert not judged.passed
    assert not judged.auto_fail_reasons


def test_a_runner_error_fails_with_the_floor_score_and_a_valid_schema():
    judged = verdict(result=RunnerOutput.runner_error("TIMEOUT", "no answer within 5 s"))
    assert not judged.passed
    assert judged.overall_score == 1
    assert judged.missing_tools == list(TOOLS)
    validate_judge_output(judged.as_schema())


def test_an_echo_of_the_expected_phrases_without_tools_fails_tools_and_groundedness():
    spec = case(
        positive_constraints=(
            {"type": "icontains", "value": "Brightpath Agency"},
            {"type": "icontains", "value": "38%"},
        )
    )
    echo = RunnerOutput(actual_output="Brightpath Agency 38%", tool_trace_log=[])
    judged = verdict(spec, echo)
    assert judged.scores["completeness"] == 5
    assert judged.scores["tool_selection_accuracy"] == 1
    assert judged.scores["groundedness"] == 1
    assert not judged.passed


def test_record_references_are_identifiers_not_claims():
    claims = extract_claims("Ask Maya (source: lead:1742, queue_item:88) about it.")
    assert [c.text for c in claims] == ["Maya"]


def test_a_prebuilt_knowledge_corpus_judges_like_the_texts_it_came_from():
    from evaluation.judge import Corpus

    text = "Maya, Brightpath Agency cut turnaround by 38% and grew 47%."
    assert verdict(result=output(text), knowledge=Corpus(KNOWLEDGE)).unsupported_claims == ["47%"]
    assert verdict(result=output(text)).unsupported_claims == ["47%"]
