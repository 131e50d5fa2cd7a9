"""A pending item's SLA state: the one definition of its cutoffs, filter and annotation.

A pending item is *breached* once it has waited ``breached_after_hours``, *at risk* once it has
waited ``at_risk_after_hours``, and *within target* before that; a decided item has no SLA
state. The three forms below say exactly that and nothing else, so the model method, the
filters, the admin column, queue stats, readiness, escalations and the scorecard cannot drift:

- ``cutoffs(policy, now)``: the creation times at or before which an item is at risk/breached;
- ``state_of(created_at, cuts)``: one item's state in Python (``SlaPolicy.state_for``);
- ``age_filter`` / ``sla_filter``: a ``Q`` selecting one state (without / with "is pending");
- ``sla_annotation``: a ``Case``/``When`` giving every row its state in SQL.

Breached wins over at risk when a policy sets the two thresholds the other way round.
This module reads no model, so ``approvals.models`` can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from approvals.choices import QueueStatus, SlaState


@dataclass(frozen=True)
class SlaCutoffs:
    """Creation times: an item created at or before ``breached`` is breached, at or before
    ``at_risk`` (and not breached) at risk, later within target."""

    at_risk: datetime
    breached: datetime


def cutoffs(policy, now: datetime | None = None) -> SlaCutoffs:
    """The cutoffs of ``policy`` (an ``SlaPolicy``) at ``now``."""
    now = now or timezone.now()
    return SlaCutoffs(
        at_risk=now - timedelta(hours=policy.at_risk_after_hours),
        breached=now - timedelta(hours=policy.breached_after_hours),
    )


def state_of(created_at: datetime, cuts: SlaCutoffs) -> SlaState:
    """The state of a pending item created at ``created_at``."""
    if created_at <= cuts.breached:
        return SlaState.BREACHED
    if created_at <= cuts.at_risk:
        return SlaState.AT_RISK
    return SlaState.WITHIN_TARGET


def age_filter(state: SlaState, cuts: SlaCutoffs) -> Q:
    """Rows whose age puts them in ``state``, pending or not (the scorecard counts items that
    were pending at the end of a week and have been decided since)."""
    breached = Q(created_at__lte=cuts.breached)
    if state == SlaState.BREACHED:
        return breached
    at_risk = Q(created_at__lte=cuts.at_risk) & ~breached
    if state == SlaState.AT_RISK:
        return at_risk
    return ~breached & ~at_risk


def sla_filter(state: SlaState, cuts: SlaCutoffs) -> Q:
    """Pending items in ``state``."""
    return Q(status=QueueStatus.PENDING) & age_filter(state, cuts)


def sla_annotation(cuts: SlaCutoffs) -> Case:
    """Each row's state as text; ``""`` for an item that is not pending."""
    pending = Q(status=QueueStatus.PENDING)
    return Case(
        *(
            When(pending & age_filter(state, cuts), then=Value(state.value))
            for state in (SlaState.BREACHED, SlaState.AT_RISK, SlaState.WITHIN_TARGET)
        ),
        default=Value(""),
        output_field=CharField(),
    )
