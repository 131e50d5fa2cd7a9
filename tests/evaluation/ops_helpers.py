"""Test data for the readiness and escalation tests: aged queue items and replay outcomes."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from approvals.choices import QueueStatus
from approvals.models import QueueItem
from evaluation.choices import CaseOutcome
from tests.evaluation.factories import CaseResultFactory
from tests.factories import LeadFactory

_keys = itertools.count()


def aged_item(hours: float, status: str = QueueStatus.PENDING) -> QueueItem:
    """A queue item created ``hours`` ago (the default SLA breaches at 24 h)."""
    return QueueItem.objects.create(
        lead=LeadFactory(),
        agent="draft_email",
        subject="Proposal turnaround",
        status=status,
        idempotency_key=f"ops-test:{next(_keys)}",
        created_at=timezone.now() - timedelta(hours=hours),
    )


def judged(run, *, groundedness: int, outcome: str = CaseOutcome.FAILED, **fields):
    """A case result of ``run`` whose judge gave ``groundedness``."""
    return CaseResultFactory(
        run=run,
        outcome=outcome,
        overall_score=2.5,
        judge={
            "rubric": {
                "groundedness": {"score": groundedness, "reason": "claims checked"},
                "tool_selection_accuracy": {"score": 5, "reason": "exact"},
            },
            "final_verdict": "FAIL" if outcome != CaseOutcome.PASSED else "PASS",
        },
        **fields,
    )
