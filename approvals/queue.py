"""Putting drafts into the approval queue (what the agents call)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from approvals import decisions
from approvals.choices import QueueItemKind, QueueStatus, Severity
from approvals.models import MeetingPrepPolicy, QueueItem
from approvals.rubric import hard_failures, rubric_state, run_rubric
from approvals.suppression import suppression_for
from caio_site.runtime.correlation import get_correlation_id


def brief_checks(payload: dict) -> list[dict]:
    """Quality-bar checks of a call-prep brief (soft: a low-confidence brief still gets read)."""
    policy = MeetingPrepPolicy.current()
    payload = payload or {}
    results = []
    for name in policy.required_fields or []:
        present = bool(payload.get(name))
        results.append(
            {
                "id": f"brief_has_{name}",
                "passed": present,
                "severity": Severity.SOFT.value,
                "message": f"{name} {'present' if present else 'missing'}.",
            }
        )
    for name, minimum in (
        ("pain_points", policy.min_pain_points),
        ("objections", policy.min_objections),
    ):
        count = len(payload.get(name) or [])
        results.append(
            {
                "id": f"brief_min_{name}",
                "passed": count >= minimum,
                "severity": Severity.SOFT.value,
                "message": f"{count} {name.replace('_', ' ')} (minimum {minimum}).",
            }
        )
    return results


def submit(
    *,
    kind: QueueItemKind,
    lead,
    agent: str,
    subject: str,
    body: str,
    idempotency_key: str,
    tier: str = "",
    angle: str = "",
    evidence=(),
    correlation_id: str | None = None,
    supersedes: QueueItem | None = None,
    payload: dict | None = None,
) -> QueueItem:
    """Queue a draft for the Head of Sales, or block it, exactly once per idempotency key.

    Emails run the rubric: a hard failure or a suppressed recipient puts the item in
    ``blocked`` with the reasons; otherwise it is ``pending``. A second call with the same key
    returns the existing item and creates nothing (a redelivered agent task is harmless).
    """
    existing = QueueItem.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    evidence = list(evidence or [])
    if kind == QueueItemKind.EMAIL:
        results = run_rubric(subject, body, lead, evidence)
    else:
        results = brief_checks(payload or {})
    reasons = [f["message"] for f in hard_failures(results)]
    if kind == QueueItemKind.EMAIL and suppression_for(lead.email) is not None:
        suppressed = "The recipient is on the suppression list."
        if not any(r["id"] == "recipient_not_suppressed" and not r["passed"] for r in results):
            reasons.append(suppressed)
    status = QueueStatus.BLOCKED if reasons else QueueStatus.PENDING
    item = QueueItem(
        kind=kind,
        lead=lead,
        agent=agent,
        subject=subject or "",
        body=body or "",
        original_subject=subject or "",
        original_body=body or "",
        tier=tier or getattr(lead, "tier", "") or "",
        angle=angle or "",
        evidence=evidence,
        payload=payload or {},
        rubric_results=results,
        rubric_state=rubric_state(results),
        rubric_passed=sum(1 for r in results if r["passed"]),
        rubric_total=len(results),
        blocked_reasons=reasons,
        status=status,
        correlation_id=correlation_id or get_correlation_id(),
        idempotency_key=idempotency_key,
        supersedes=supersedes,
    )
    try:
        with transaction.atomic():
            item.save()
            decisions.record_created(
                item, payload={"reasons": reasons} if reasons else {"agent": agent}
            )
    except IntegrityError:
        # Two deliveries of the same job raced; the first one's item is the item.
        existing = QueueItem.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    return item
