"""Statuses and enumerations of the approval queue.

Statuses are ``TextChoices``; the groups the lifecycle rules talk about (terminal, decidable,
cancellable) are named frozensets so no caller spells a status list by hand.
"""

from django.db import models


class QueueItemKind(models.TextChoices):
    EMAIL = "email", "Email"
    CALL_PREP = "call_prep", "Call prep brief"


class QueueStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    REJECTED = "rejected", "Rejected"
    BLOCKED = "blocked", "Blocked"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


# No transition ever leaves these.
TERMINAL_STATUSES = frozenset(
    {
        QueueStatus.SENT,
        QueueStatus.REJECTED,
        QueueStatus.BLOCKED,
        QueueStatus.EXPIRED,
        QueueStatus.CANCELLED,
    }
)
# The Head of Sales decides only these.
DECIDABLE_STATUSES = frozenset({QueueStatus.PENDING})
# A lead unsubscribing/bouncing/replying cancels whatever has not gone out yet.
CANCELLABLE_STATUSES = frozenset({QueueStatus.PENDING, QueueStatus.APPROVED, QueueStatus.FAILED})


class QueueEventType(models.TextChoices):
    CREATED = "created", "Created"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_EDITS = "approved_with_edits", "Approved with edits"
    REJECTED = "rejected", "Rejected"
    BLOCKED = "blocked", "Blocked"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"
    SENT = "sent", "Sent"
    FAILED = "failed", "Send failed"
    RETRIED = "retried", "Send retried"


# Event types that record a Head of Sales decision (one per item at most).
DECISION_EVENT_TYPES = frozenset(
    {QueueEventType.APPROVED, QueueEventType.APPROVED_WITH_EDITS, QueueEventType.REJECTED}
)


class Severity(models.TextChoices):
    HARD = "hard", "Hard (blocks the draft)"
    SOFT = "soft", "Soft (shown as a flag)"


class RejectionPolicy(models.TextChoices):
    REGENERATE = "regenerate", "Regenerate (the agent drafts again with the reason as feedback)"
    MANUAL_REWRITE = "manual_rewrite", "Manual rewrite (stays with a human)"
    SUPPRESS_LEAD = "suppress_lead", "Suppress the lead"


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"
    REJECTED = "rejected", "Rejected by the Head of Sales"
    EXCLUDED_DOMAIN = "excluded_domain", "Excluded domain"
    COMPETITOR = "competitor", "Competitor"
    CUSTOMER = "customer", "Existing customer"
    MANUAL = "manual", "Manual"


class SuppressionSource(models.TextChoices):
    UNSUBSCRIBE_LINK = "unsubscribe_link", "Unsubscribe link"
    WEBHOOK = "webhook", "Provider webhook"
    REJECTION_POLICY = "rejection_policy", "Rejection policy"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Import"


class SentMessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class WebhookEventType(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    OPENED = "opened", "Opened"
    REPLIED = "replied", "Replied"
    BOUNCED = "bounced", "Bounced"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class SlaState(models.TextChoices):
    WITHIN_TARGET = "within_target", "Within target"
    AT_RISK = "at_risk", "At risk"
    BREACHED = "breached", "Breached"


# How the inbox colours a pending item's age.
SLA_STATE_COLOURS = {
    SlaState.WITHIN_TARGET: "#2e7d32",
    SlaState.AT_RISK: "#ef6c00",
    SlaState.BREACHED: "#c62828",
}


class RubricState(models.TextChoices):
    ALL_PASS = "all_pass", "All checks pass"
    SOFT_FLAGS = "soft_flags", "Soft flags"
    HARD_FAIL = "hard_fail", "Hard failure"


# How the inbox colours the rubric score.
RUBRIC_STATE_COLOURS = {
    RubricState.ALL_PASS: "#2e7d32",
    RubricState.SOFT_FLAGS: "#ef6c00",
    RubricState.HARD_FAIL: "#c62828",
}
# An item with no SLA state (decided) or no rubric state.
NEUTRAL_COLOUR = "#666"
