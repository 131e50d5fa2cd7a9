"""Every lifecycle transition of a queue item, one function each.

Each function claims the row with a conditional UPDATE on ``status`` AND ``version`` and writes
exactly one ``QueueEvent`` in the same transaction. Zero rows updated means someone else moved
the item first: the caller gets ``DecisionConflict`` (admin shows a message, the API a 409).
No function moves an item out of a terminal status.

```
create ─► blocked (terminal)
       └► pending ─approve (edited or not)────► approved ─mark_sent─► sent (terminal)
             │                                    └─mark_failed─► failed ─retry_failed─► approved
             ├─reject─► rejected (terminal)       ├─expire─► expired (terminal)
             ├─block─► blocked (terminal)         └─cancel─► cancelled (terminal; also from
                                                             approved and failed)
```
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agents.choices import LeadStatus
from agents.leads import transition_status
from agents.models import Lead
from approvals import regeneration
from approvals.choices import (
    CANCELLABLE_STATUSES,
    DECIDABLE_STATUSES,
    QueueEventType,
    QueueItemKind,
    QueueStatus,
    RejectionPolicy,
    SentMessageStatus,
    SuppressionReason,
    SuppressionSource,
)
from approvals.models import (
    QueueEvent,
    QueueItem,
    RejectionCategory,
    SentMessage,
    SlaPolicy,
    Suppression,
)
from approvals.rubric import hard_failures, rubric_state, run_rubric
from approvals.suppression import suppress

logger = logging.getLogger(__name__)


class DecisionError(Exception):
    """Base class of the errors a transition raises."""


class DecisionConflict(DecisionError):
    """The item is no longer in the state (status, version) the caller saw."""


class DecisionNotAllowed(DecisionError):
    """The actor may not make this decision."""


class InvalidDecision(DecisionError):
    """The decision's input is invalid; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def can_decide(user) -> bool:
    """Only the Head of Sales group (via the permission) and superusers decide drafts."""
    return bool(
        user is not None
        and user.is_active
        and (user.is_superuser or user.has_perm("approvals.decide_queueitem"))
    )


def _transition(
    item: QueueItem,
    *,
    to: QueueStatus,
    allowed_from: Iterable[QueueStatus],
    event_type: QueueEventType,
    actor=None,
    expected_version: int | None = None,
    payload: dict | None = None,
    fields: dict | None = None,
) -> QueueItem:
    allowed_from = frozenset(allowed_from)
    version = item.version if expected_version is None else int(expected_version)
    if item.status not in allowed_from:
        raise DecisionConflict(f"Item #{item.pk} is already {item.status}; it cannot become {to}.")
    fields = dict(fields or {})
    from_status = item.status
    with transaction.atomic():
        rows = QueueItem.objects.filter(pk=item.pk, status=from_status, version=version).update(
            status=to, version=version + 1, **fields
        )
        if rows != 1:
            current = QueueItem.objects.filter(pk=item.pk).values_list("status", "version").first()
            now_status, now_version = current or ("deleted", None)
            raise DecisionConflict(
                f"Item #{item.pk} changed while you were looking at it "
                f"(now {now_status}, version {now_version}); reload it and try again."
            )
        QueueEvent.objects.create(
            item_id=item.pk,
            event_type=event_type,
            from_status=from_status,
            to_status=to,
            actor=actor,
            payload=payload or {},
            created_at=timezone.now(),
        )
    item.status = to
    item.version = version + 1
    for name, value in fields.items():
        setattr(item, name, value)
    return item


def record_created(item: QueueItem, *, actor=None, payload: dict | None = None) -> QueueEvent:
    """The first event of an item (``'' → pending|blocked``), written by ``queue.submit``."""
    return QueueEvent.objects.create(
        item_id=item.pk,
        event_type=QueueEventType.CREATED,
        from_status="",
        to_status=item.status,
        actor=actor,
        payload=payload or {},
        created_at=item.created_at,
    )


def _require_decider(actor) -> None:
    if not can_decide(actor):
        raise DecisionNotAllowed("Only the Head of Sales can approve or reject drafts.")


def _edit_diff(old_subject: str, old_body: str, new_subject: str, new_body: str) -> str:
    old = [f"Subject: {old_subject}", "", *old_body.splitlines()]
    new = [f"Subject: {new_subject}", "", *new_body.splitlines()]
    return "\n".join(difflib.unified_diff(old, new, "draft", "approved", lineterm=""))


def approve(
    item: QueueItem,
    *,
    actor,
    expected_version: int | None = None,
    subject: str | None = None,
    body: str | None = None,
    feedback: str = "",
) -> QueueItem:
    """Approve a pending draft, with the Head of Sales' edits when subject/body differ.

    ``was_edited`` and the stored diff are computed here from the text, never taken from the
    caller. Edited text must still pass the hard rubric checks (footer, placeholders…). The send
    is enqueued after the commit; it never runs inside the request.
    """
    _require_decider(actor)
    new_subject = item.subject if subject is None else subject.strip()
    new_body = item.body if body is None else body.replace("\r\n", "\n")
    edited = (new_subject, new_body) != (item.subject, item.body)
    fields = {
        "decided_at": timezone.now(),
        "decided_by": actor,
        "feedback": (feedback or "").strip(),
    }
    payload: dict = {"was_edited": False}
    if edited:
        results = run_rubric(new_subject, new_body, item.lead, item.evidence)
        failures = hard_failures(results)
        if failures:
            raise InvalidDecision({"body": [f["message"] for f in failures]})
        base_subject = item.original_subject or item.subject
        base_body = item.original_body or item.body
        diff = _edit_diff(base_subject, base_body, new_subject, new_body)
        fields.update(
            subject=new_subject,
            body=new_body,
            was_edited=(new_subject, new_body) != (base_subject, base_body),
            edit_diff=diff,
            rubric_results=results,
            rubric_state=rubric_state(results),
            rubric_passed=sum(r["passed"] for r in results),
            rubric_total=len(results),
        )
        payload = {"was_edited": fields["was_edited"], "diff": diff}
    if fields["feedback"]:
        payload["feedback"] = fields["feedback"]
    event = QueueEventType.APPROVED_WITH_EDITS if edited else QueueEventType.APPROVED
    with transaction.atomic():
        _transition(
            item,
            to=QueueStatus.APPROVED,
            allowed_from=DECIDABLE_STATUSES,
            event_type=event,
            actor=actor,
            expected_version=expected_version,
            payload=payload,
            fields=fields,
        )
        if item.kind == QueueItemKind.EMAIL:
            _enqueue_send(item)
    return item


def _resolve_category(category) -> RejectionCategory:
    if isinstance(category, RejectionCategory):
        found = category if category.active else None
    else:
        found = RejectionCategory.objects.filter(key=str(category or ""), active=True).first()
    if found is None:
        raise InvalidDecision({"category": ["Choose an active rejection category."]})
    return found


def reject(
    item: QueueItem,
    *,
    actor,
    category,
    reason: str,
    expected_version: int | None = None,
) -> QueueItem:
    """Reject a pending draft with a taxonomy category and a reason; run the category policy.

    ``regenerate`` asks the drafting agent for a new version after commit
    (``approvals.regeneration.request_regeneration``); ``suppress_lead`` suppresses the lead's
    address and cancels its other open items in the same transaction; ``manual_rewrite`` does
    nothing automatic.
    """
    _require_decider(actor)
    errors: dict[str, list[str]] = {}
    try:
        category_obj = _resolve_category(category)
    except InvalidDecision as exc:
        errors.update(exc.errors)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Say why the draft is rejected."]
    if errors:
        raise InvalidDecision(errors)
    with transaction.atomic():
        _transition(
            item,
            to=QueueStatus.REJECTED,
            allowed_from=DECIDABLE_STATUSES,
            event_type=QueueEventType.REJECTED,
            actor=actor,
            expected_version=expected_version,
            payload={"category": category_obj.key, "reason": reason, "policy": category_obj.policy},
            fields={
                "decided_at": timezone.now(),
                "decided_by": actor,
                "rejection_category": category_obj,
                "rejection_reason": reason,
                "feedback": reason,
            },
        )
        if category_obj.policy == RejectionPolicy.SUPPRESS_LEAD:
            suppress(
                email=item.lead.email,
                reason=SuppressionReason.REJECTED,
                source=SuppressionSource.REJECTION_POLICY,
                note=f"{category_obj.key}: {reason}"[:1000],
            )
            cancel_open_items_for_lead(
                item.lead_id, reason=f"lead suppressed ({category_obj.key})", actor=actor
            )
        elif category_obj.policy == RejectionPolicy.REGENERATE:
            transaction.on_commit(lambda: regeneration.request_regeneration(item))
    return item


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk decision did: ``done`` items decided, ``skipped`` not eligible, ``conflicts``
    changed by someone else meanwhile."""

    done: int = 0
    skipped: int = 0
    conflicts: int = 0


def bulk_approve(items: Iterable[QueueItem], *, actor) -> BulkOutcome:
    """Approve many drafts unedited: only pending drafts whose rubric checks all pass (DESIGN
    section 4); any other is skipped for one-by-one review. Each goes through ``approve`` at the
    version read, so one decided meanwhile is a conflict, not a second decision."""
    done = skipped = conflicts = 0
    for item in items:
        if item.status != QueueStatus.PENDING or not item.rubric_all_pass:
            skipped += 1
            continue
        try:
            approve(item, actor=actor, expected_version=item.version)
        except DecisionConflict:
            conflicts += 1
        else:
            done += 1
    return BulkOutcome(done, skipped, conflicts)


def bulk_reject(items: Iterable[QueueItem], *, actor, category, reason: str) -> BulkOutcome:
    """Reject many pending drafts with one category and reason (each through ``reject``, so each
    runs the category policy); items no longer pending are skipped."""
    done = skipped = conflicts = 0
    for item in items:
        if item.status != QueueStatus.PENDING:
            skipped += 1
            continue
        try:
            reject(
                item, actor=actor, category=category, reason=reason, expected_version=item.version
            )
        except DecisionConflict:
            conflicts += 1
        else:
            done += 1
    return BulkOutcome(done, skipped, conflicts)


def block(item: QueueItem, *, reasons: list[str], actor=None) -> QueueItem:
    """Take a pending draft out of review because it fails a hard check."""
    return _transition(
        item,
        to=QueueStatus.BLOCKED,
        allowed_from={QueueStatus.PENDING},
        event_type=QueueEventType.BLOCKED,
        actor=actor,
        payload={"reasons": list(reasons)},
        fields={"blocked_reasons": list(reasons)},
    )


def expire(item: QueueItem, *, max_age_hours: int | None = None) -> QueueItem:
    """Expire a pending draft nobody decided in time (called by the expiry sweep)."""
    return _transition(
        item,
        to=QueueStatus.EXPIRED,
        allowed_from={QueueStatus.PENDING},
        event_type=QueueEventType.EXPIRED,
        payload={"max_age_hours": max_age_hours} if max_age_hours else {},
        fields={"decided_at": timezone.now()},
    )


def expire_overdue(*, now=None, limit: int | None = None, dry_run: bool = False) -> list[int]:
    """Expire pending drafts older than the SLA max age; returns the ids (to be) expired.

    The expiry sweep (``manage.py expire_pending`` and the ``expire-pending`` cron). Each item
    goes through ``expire``; one decided meanwhile is skipped.
    """
    policy = SlaPolicy.current()
    cutoff = (now or timezone.now()) - timedelta(hours=policy.max_age_hours)
    overdue = QueueItem.objects.filter(status=QueueStatus.PENDING, created_at__lte=cutoff)
    overdue = overdue.order_by("created_at", "id")
    if limit:
        overdue = overdue[:limit]
    if dry_run:
        return list(overdue.values_list("pk", flat=True))
    expired = []
    for item in overdue:
        try:
            expire(item, max_age_hours=policy.max_age_hours)
        except DecisionConflict:
            logger.info("item %s was decided before it could expire", item.pk)
            continue
        expired.append(item.pk)
    return expired


def cancel(item: QueueItem, *, reason: str, actor=None) -> QueueItem:
    """Cancel an item that has not gone out (lead unsubscribed, bounced, replied, suppressed)."""
    return _transition(
        item,
        to=QueueStatus.CANCELLED,
        allowed_from=CANCELLABLE_STATUSES,
        event_type=QueueEventType.CANCELLED,
        actor=actor,
        payload={"reason": reason},
        fields={"last_error": reason},
    )


def mark_sent(item: QueueItem, *, message_id: str) -> QueueItem:
    """Record that the send pipeline handed the approved email to the transport."""
    return _transition(
        item,
        to=QueueStatus.SENT,
        allowed_from={QueueStatus.APPROVED},
        event_type=QueueEventType.SENT,
        payload={"message_id": message_id},
        fields={"sent_at": timezone.now(), "last_error": "", "send_after": None},
    )


def mark_failed(item: QueueItem, *, error: str) -> QueueItem:
    """Record that sending gave up (retries exhausted or the final message is not compliant)."""
    return _transition(
        item,
        to=QueueStatus.FAILED,
        allowed_from={QueueStatus.APPROVED},
        event_type=QueueEventType.FAILED,
        payload={"error": error[:2000]},
        fields={"last_error": error[:2000]},
    )


def retry_failed(item: QueueItem, *, actor) -> QueueItem:
    """Put a failed send back to ``approved`` and enqueue it again."""
    _require_decider(actor)
    with transaction.atomic():
        _transition(
            item,
            to=QueueStatus.APPROVED,
            allowed_from={QueueStatus.FAILED},
            event_type=QueueEventType.RETRIED,
            actor=actor,
            fields={"last_error": "", "send_after": None},
        )
        SentMessage.objects.filter(item_id=item.pk, status=SentMessageStatus.FAILED).update(
            status=SentMessageStatus.QUEUED, last_error=""
        )
        _enqueue_send(item)
    return item


def bulk_retry_failed(items: Iterable[QueueItem], *, actor) -> BulkOutcome:
    """Put many failed sends back to ``approved`` (each through ``retry_failed`` at the
    version read); items that have not failed are skipped, ones moved meanwhile conflict."""
    _require_decider(actor)
    done = skipped = conflicts = 0
    for item in items:
        if item.status != QueueStatus.FAILED:
            skipped += 1
            continue
        try:
            retry_failed(item, actor=actor)
        except DecisionConflict:
            conflicts += 1
        else:
            done += 1
    return BulkOutcome(done, skipped, conflicts)


def cancel_open_items_for_lead(lead_id: int, *, reason: str, actor=None) -> int:
    """Cancel every item of a lead that has not gone out; returns how many were cancelled.

    An item another process moves at the same moment is skipped (its own transition wins).
    """
    cancelled = 0
    for item in QueueItem.objects.filter(lead_id=lead_id, status__in=CANCELLABLE_STATUSES):
        try:
            with transaction.atomic():
                cancel(item, reason=reason, actor=actor)
        except DecisionConflict:
            logger.info("item %s moved while cancelling for lead %s", item.pk, lead_id)
            continue
        cancelled += 1
    return cancelled


def _enqueue_send(item: QueueItem) -> None:
    # The send task runs the send pipeline, which records its outcome through this module:
    # importing the task at call time is what keeps that loop out of module loading.
    from approvals.tasks import send_item

    send_item.delay_on_commit(item.pk)


def stop_contacting(
    email: str = "",
    *,
    domain: str = "",
    reason: SuppressionReason,
    source: SuppressionSource,
    note: str = "",
) -> tuple[Suppression, int]:
    """Suppress an address or a whole domain and stop contacting everyone it covers (see
    ``enforce_suppression``).

    Used by the unsubscribe link and the provider webhooks. Returns the suppression and the
    number of queue items cancelled.
    """
    with transaction.atomic():
        entry = suppress(email=email, domain=domain, reason=reason, source=source, note=note)
        # The event's reason, not the entry's: an address suppressed earlier for another
        # reason that now unsubscribes still becomes an unsubscribed lead.
        cancelled = enforce_suppression(entry, reason=reason)
    return entry, cancelled


def enforce_suppression(
    entry: Suppression, *, reason: SuppressionReason | None = None, actor=None
) -> int:
    """Apply a suppression entry to the leads it covers; returns the items cancelled.

    An address entry marks its lead unsubscribed/bounced when that is the ``reason`` (default:
    the entry's); an address or a domain entry cancels the open items of every lead it covers
    (a domain entry: every lead whose address is at that domain, as ``suppression_for`` matches
    them). Called by ``stop_contacting`` and by the admin when a suppression is added or edited
    by hand.
    """
    reason = reason or entry.reason
    if entry.email:
        leads = Lead.objects.filter(email__iexact=entry.email)
        lead_status = {
            SuppressionReason.UNSUBSCRIBED: LeadStatus.UNSUBSCRIBED,
            SuppressionReason.BOUNCED: LeadStatus.BOUNCED,
        }.get(reason)
        why = f"recipient {reason}"
    else:
        # A bounce or unsubscribe is one person's; a domain entry only stops contact.
        leads = Lead.objects.filter(email__iendswith=f"@{entry.domain}")
        lead_status = None
        why = f"domain {entry.domain} suppressed ({reason})"
    cancelled = 0
    with transaction.atomic():
        for lead_id in leads.values_list("pk", flat=True):
            if lead_status is not None:
                transition_status(lead_id, lead_status, force=True)
            cancelled += cancel_open_items_for_lead(lead_id, reason=why, actor=actor)
    return cancelled
