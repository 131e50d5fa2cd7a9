"""Fixtures of the approvals tests: ready-made drafts (the policy rows are the migrated ones,
put back after each flush by tests/conftest.py)."""

from __future__ import annotations

import pytest

from approvals.choices import QueueItemKind
from approvals.queue import submit
from tests.approvals.factories import draft_body, good_evidence
from tests.factories import LeadFactory


@pytest.fixture
def make_item():
    """``make_item(**overrides)`` submits a clean, all-pass email draft for a new lead."""
    counter = {"n": 0}

    def _make(lead=None, **overrides):
        counter["n"] += 1
        lead = lead or LeadFactory(tier="tier_1")
        fields = {
            "kind": QueueItemKind.EMAIL,
            "lead": lead,
            "agent": "draft_email",
            "subject": f"Proposal turnaround at {lead.company}",
            "body": draft_body(lead),
            "idempotency_key": f"test:{lead.pk}:{counter['n']}",
            "tier": "tier_1",
            "angle": "margin",
            "evidence": good_evidence(lead),
        }
        fields.update(overrides)
        return submit(**fields)

    return _make
