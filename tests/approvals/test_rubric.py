"""Each rubric check of approvals.rubric has a passing and a failing case."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from approvals.choices import RubricState, Severity, SuppressionReason, SuppressionSource
from approvals.compliance import with_footer
from approvals.models import RubricCheck
from approvals.rubric import REGISTRY, rubric_state, run_rubric
from approvals.suppression import suppress
from tests.approvals.factories import draft_body, good_evidence
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

GOOD_SUBJECT = "Proposal turnaround at Northwind"


def _result(check_id, subject=GOOD_SUBJECT, body=None, lead=None, evidence=None):
    lead = lead or LeadFactory()
    body = draft_body(lead) if body is None else body
    evidence = good_evidence(lead) if evidence is None else evidence
    results = {r["id"]: r for r in run_rubric(subject, body, lead, evidence)}
    return results[check_id]


def _with_text(text):
    """A body with the recipient's footer around ``text`` (for checks on the written part)."""
    lead = LeadFactory()
    return lead, with_footer(text, lead.email)


CLEAN = (
    "Hi Dana,\n\nNorthwind doubled its delivery team this year.\n\n"
    "Agencies cut proposal turnaround by 38% with CAIO.\n\nWorth a 15-minute look next week?\n\nSam"
)


def test_the_clean_draft_passes_every_check():
    lead = LeadFactory()
    results = run_rubric(GOOD_SUBJECT, draft_body(lead), lead, good_evidence(lead))
    assert [r["id"] for r in results if not r["passed"]] == []
    assert {r["id"] for r in results} == set(REGISTRY)
    assert rubric_state(results) == RubricState.ALL_PASS


def test_unsubscribe_link_fails_without_a_link():
    lead = LeadFactory()
    assert _result("unsubscribe_link", lead=lead)["passed"]
    assert not _result("unsubscribe_link", body=CLEAN + "\n-- \nCAIO Inc.", lead=lead)["passed"]


def test_unsubscribe_link_fails_when_it_is_for_someone_else():
    lead, other = LeadFactory(), LeadFactory()
    result = _result("unsubscribe_link", body=draft_body(other), lead=lead)
    assert not result["passed"]
    assert "not for this recipient" in result["message"]


def test_sender_address_fails_when_the_address_is_cut(settings):
    lead = LeadFactory()
    assert _result("sender_address", lead=lead)["passed"]
    body = draft_body(lead).replace(settings.SENDER_POSTAL_ADDRESS, "")
    assert not _result("sender_address", body=body, lead=lead)["passed"]


@pytest.mark.parametrize("placeholder", ["{{first_name}}", "[FIRST_NAME]", "{company}"])
def test_no_placeholder_fails_on_unrendered_templates(placeholder):
    lead, body = _with_text(CLEAN.replace("Dana", placeholder))
    assert _result("no_placeholder", lead=lead)["passed"]
    assert not _result("no_placeholder", body=body, lead=lead)["passed"]


def test_no_placeholder_looks_at_the_subject_too():
    assert not _result("no_placeholder", subject="Hello [COMPANY] team")["passed"]


def test_body_not_empty_fails_for_a_footer_only_body():
    lead, body = _with_text("")
    assert _result("body_not_empty", lead=lead)["passed"]
    assert not _result("body_not_empty", body=body, lead=lead)["passed"]


def test_recipient_not_suppressed_fails_for_a_suppressed_address_or_domain():
    lead = LeadFactory()
    assert _result("recipient_not_suppressed", lead=lead)["passed"]
    suppress(
        domain=lead.email_domain,
        reason=SuppressionReason.COMPETITOR,
        source=SuppressionSource.ADMIN,
    )
    assert not _result("recipient_not_suppressed", lead=lead)["passed"]


def test_recipient_not_suppressed_fails_for_a_bounced_or_disqualified_lead():
    assert not _result("recipient_not_suppressed", lead=LeadFactory(status="bounced"))["passed"]
    assert not _result("recipient_not_suppressed", lead=LeadFactory(status="disqualified"))[
        "passed"
    ]


def test_subject_length_is_a_soft_flag_over_sixty_characters():
    assert _result("subject_length", subject="x" * 60)["passed"]
    result = _result("subject_length", subject="x" * 61)
    assert not result["passed"]
    assert result["severity"] == Severity.SOFT


def test_subject_not_all_caps():
    assert _result("subject_not_all_caps", subject="ROI at Northwind")["passed"]
    assert not _result("subject_not_all_caps", subject="PROPOSALS AT NORTHWIND")["passed"]


def test_subject_no_reply_prefix_on_a_first_touch():
    assert _result("subject_no_reply_prefix", subject="Remote proposals")["passed"]
    assert not _result("subject_no_reply_prefix", subject="Re: proposals")["passed"]
    assert not _result("subject_no_reply_prefix", subject="FWD: proposals")["passed"]


@pytest.mark.parametrize(
    "opener",
    ["I hope this email finds you well.", "I came across your profile.", "Quick question:"],
)
def test_banned_opener(opener):
    lead, body = _with_text(CLEAN.replace("Hi Dana,\n\n", f"Hi Dana,\n\n{opener} "))
    assert _result("banned_opener", lead=lead)["passed"]
    result = _result("banned_opener", body=body, lead=lead)
    assert not result["passed"]
    assert result["severity"] == Severity.SOFT


def test_generic_density_flags_mostly_generic_sentences():
    text = (
        "In today's fast-paced world, agencies must leverage AI. Our best-in-class platform "
        "is seamless. Worth a 15-minute look?"
    )
    lead, body = _with_text(text)
    assert _result("generic_density", lead=lead)["passed"]
    assert not _result("generic_density", body=body, lead=lead)["passed"]


def test_spam_words_flags_triggers_and_unqualified_guarantees():
    lead, spammy = _with_text(CLEAN + "\nAct now, this is risk free.")
    assert not _result("spam_words", body=spammy, lead=lead)["passed"]
    _, guarantee = _with_text(CLEAN + "\nWe guarantee results.")
    assert not _result("spam_words", body=guarantee, lead=lead)["passed"]
    _, honest = _with_text(CLEAN + "\nWe can't guarantee results, but the numbers are public.")
    assert _result("spam_words", body=honest, lead=lead)["passed"]


def test_no_competitor_in_subject():
    assert _result("no_competitor_in_subject", subject="Pipeline at Northwind")["passed"]
    assert not _result("no_competitor_in_subject", subject="Moving off Outreach?")["passed"]


def test_single_cta_needs_exactly_one_ask():
    assert _result("single_cta")["passed"]
    lead, none = _with_text(CLEAN.replace("Worth a 15-minute look next week?", "Thanks."))
    assert not _result("single_cta", body=none, lead=lead)["passed"]
    _, two = _with_text(CLEAN + "\nOr are you free Friday? Could we also book a demo?")
    assert not _result("single_cta", body=two, lead=lead)["passed"]


def test_evidence_coverage_needs_a_sourced_company_and_role_fact():
    lead = LeadFactory()
    assert _result("evidence_coverage", lead=lead)["passed"]
    company_only = [e for e in good_evidence(lead) if e["kind"] == "company"]
    assert not _result("evidence_coverage", lead=lead, evidence=company_only)["passed"]
    unsourced = [{**e, "source": ""} for e in good_evidence(lead)]
    assert not _result("evidence_coverage", lead=lead, evidence=unsourced)["passed"]


def test_groundedness_accepts_proof_claims_and_lead_data():
    lead = LeadFactory(employee_count=120)
    text = CLEAN.replace("doubled its delivery team", "has 120 people")
    assert _result("groundedness", lead=lead, body=with_footer(text, lead.email))["passed"]


def test_groundedness_rejects_an_invented_statistic():
    lead, body = _with_text(CLEAN.replace("38%", "61%") + "\nThat is $2M saved a year.")
    result = _result("groundedness", body=body, lead=lead)
    assert not result["passed"]
    assert "61%" in result["message"]
    assert "$2" in result["message"]


def test_a_disabled_check_does_not_run():
    RubricCheck.objects.filter(key="single_cta").update(enabled=False)
    lead = LeadFactory()
    ids = {r["id"] for r in run_rubric(GOOD_SUBJECT, draft_body(lead), lead, good_evidence(lead))}
    assert "single_cta" not in ids


def test_severity_and_params_come_from_the_admin_configuration():
    RubricCheck.objects.filter(key="subject_length").update(
        severity=Severity.HARD, params={"max_chars": 10}
    )
    result = _result("subject_length", subject="Eleven char")
    assert not result["passed"]
    assert result["severity"] == Severity.HARD
    assert "limit 10" in result["message"]


def test_a_phrase_the_head_of_sales_adds_changes_the_verdict():
    lead = LeadFactory()
    assert _result("banned_opener", lead=lead)["passed"]
    check = RubricCheck.objects.get(key="banned_opener")
    check.params = {"phrases": [*check.params["phrases"], "Worth a 15-minute look"]}
    check.save()

    result = _result("banned_opener", lead=lead)

    assert not result["passed"]
    assert "Worth a 15-minute look" in result["message"]


def test_a_phrase_the_head_of_sales_removes_no_longer_counts():
    lead, body = _with_text(CLEAN.replace("Hi Dana,", "Hi Dana, I came across your profile."))
    assert not _result("banned_opener", body=body, lead=lead)["passed"]
    RubricCheck.objects.filter(key="banned_opener").update(params={"phrases": ["Quick question"]})

    assert _result("banned_opener", body=body, lead=lead)["passed"]


def test_a_check_without_its_row_is_a_hard_failure_not_a_silent_skip():
    RubricCheck.objects.filter(key="unsubscribe_link").delete()

    result = _result("unsubscribe_link")

    assert not result["passed"]
    assert result["severity"] == Severity.HARD
    assert "row is missing" in result["message"]


@pytest.mark.parametrize(
    ("key", "params", "problem"),
    [
        ("banned_opener", {}, "needs 'phrases'"),
        ("banned_opener", {"phrases": "I came across"}, "list of strings"),
        ("subject_length", {"max_chars": "sixty"}, "must be a number"),
        ("single_cta", {"patterns": [r"\bworth a("]}, "not a valid regular expression"),
    ],
)
def test_unusable_params_are_refused_and_fail_hard_instead_of_crashing(key, params, problem):
    check = RubricCheck.objects.get(key=key)
    check.params = params
    with pytest.raises(ValidationError) as refused:
        check.full_clean()
    assert problem in str(refused.value.message_dict["params"])
    RubricCheck.objects.filter(key=key).update(params=params)  # e.g. edited in a shell

    result = _result(key)

    assert not result["passed"]
    assert result["severity"] == Severity.HARD
    assert problem in result["message"]
