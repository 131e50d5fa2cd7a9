"""The approval queue, its audit trail, the Head of Sales' policy data and the send records."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from agents.choices import Tier
from approvals import defaults, sla
from approvals.choices import (
    TERMINAL_STATUSES,
    QueueEventType,
    QueueItemKind,
    QueueStatus,
    RejectionPolicy,
    RubricState,
    SentMessageStatus,
    Severity,
    SlaState,
    SuppressionReason,
    SuppressionSource,
    WebhookEventType,
)

# 0 for pending items, 1 for the rest: the inbox's "pending first" sort key.
PENDING_FIRST = Case(When(status="pending", then=Value(0)), default=Value(1))
# The parameters each rubric check reads: the keys (and kinds of value) of its defaults.
_RUBRIC_PARAMS = {check["key"]: check["params"] for check in defaults.RUBRIC_CHECKS}


class RejectionCategory(models.Model):
    """One entry of the rejection taxonomy; its policy says what follows a rejection."""

    key = models.SlugField(max_length=60, unique=True, help_text="Stable id used by the API.")
    name = models.CharField(max_length=100, help_text="Shown in the reject form.")
    description = models.TextField(help_text="When the Head of Sales should pick this category.")
    examples = models.JSONField(
        default=list, blank=True, help_text="Example rejection reasons (a list of strings)."
    )
    policy = models.CharField(
        max_length=20,
        choices=RejectionPolicy,
        help_text="What happens after a rejection in this category.",
    )
    active = models.BooleanField(default=True, help_text="Inactive categories cannot be chosen.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in pick lists.")

    class Meta:
        ordering = ["position", "key"]
        verbose_name_plural = "rejection categories"

    def __str__(self) -> str:
        return self.name


class RubricCheck(models.Model):
    """Configuration of one deterministic rubric check (the logic lives in ``rubric.py``)."""

    key = models.SlugField(max_length=60, unique=True, help_text="Check id, as in rubric.py.")
    name = models.CharField(max_length=120, help_text="Shown in the draft's checklist.")
    description = models.TextField(blank=True, help_text="What the check looks for and why.")
    severity = models.CharField(
        max_length=10,
        choices=Severity,
        help_text="Hard failures block the draft before review; soft ones are shown as flags.",
    )
    enabled = models.BooleanField(default=True, help_text="Disabled checks do not run.")
    params = models.JSONField(
        default=dict, blank=True, help_text="Check parameters (phrases, limits) as JSON."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return f"{self.name} ({self.severity})"

    def clean(self) -> None:
        problems = self.params_problems()
        if problems:
            raise ValidationError({"params": problems})

    def params_problems(self) -> list[str]:
        """Why the check cannot run on ``params``: every parameter of its defaults must be
        present, a phrase list as a list of strings (patterns as valid regexes), a limit as a
        number. Extra keys are allowed; a key unknown to the defaults has no parameters."""
        if not isinstance(self.params, dict):
            return ["params must be a JSON object"]
        problems = []
        for name, default in _RUBRIC_PARAMS.get(self.key, {}).items():
            value = self.params.get(name)
            if name not in self.params:
                problems.append(f"params needs {name!r}")
            elif isinstance(default, list):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    problems.append(f"{name!r} must be a list of strings")
                elif name == "patterns":
                    problems.extend(_regex_problems(name, value))
            elif isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{name!r} must be a number")
        return problems


def _regex_problems(name: str, patterns: list[str]) -> list[str]:
    problems = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"{name!r}: {pattern!r} is not a valid regular expression ({exc})")
    return problems


class SegmentStandard(models.Model):
    """Messaging standard for one tier: angles, exemplars, forbidden claims, approved proof."""

    tier = models.CharField(max_length=20, choices=Tier, unique=True)
    name = models.CharField(max_length=120, help_text="Who this standard is for.")
    angles = models.JSONField(
        default=list,
        blank=True,
        help_text='List of {"key", "label", "hook", "value_prop", "cta"}.',
    )
    subject_exemplars = models.JSONField(
        default=list, blank=True, help_text="Good subject lines (list of strings)."
    )
    body_exemplars = models.JSONField(
        default=list, blank=True, help_text="Good bodies the composer imitates (list of strings)."
    )
    forbidden_claims = models.JSONField(
        default=list, blank=True, help_text="Claims a draft must never make (list of strings)."
    )
    forbidden_phrases = models.JSONField(
        default=list, blank=True, help_text="Phrases a draft must never use (list of strings)."
    )
    proof_claims = models.JSONField(
        default=list,
        blank=True,
        help_text='Approved statistics: list of {"id", "claim", "source"}; the claim text '
        "contains the number.",
    )
    active = models.BooleanField(default=True, help_text="Inactive standards are not used.")

    class Meta:
        ordering = ["tier"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def lookup(cls, tier: str) -> dict | None:
        """The active standard of ``tier`` as the knowledge integration serves it, or None."""
        standard = cls.objects.filter(tier=tier, active=True).first()
        if standard is None:
            return None
        return {
            "name": standard.name,
            "angles": list(standard.angles or []),
            "subject_exemplars": list(standard.subject_exemplars or []),
            "body_exemplars": list(standard.body_exemplars or []),
            "forbidden_claims": list(standard.forbidden_claims or []),
            "forbidden_phrases": list(standard.forbidden_phrases or []),
            "proof_claims": list(standard.proof_claims or []),
        }


class _Singleton(models.Model):
    """A policy with exactly one row; ``current()`` creates it with defaults on first use."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls.objects.create()


class SlaPolicy(_Singleton):
    """Time-to-approve target and the aging thresholds of the inbox."""

    target_hours = models.PositiveIntegerField(
        default=defaults.SLA_POLICY["target_hours"],
        help_text="Target time from draft to decision (reported in scorecards).",
    )
    at_risk_after_hours = models.PositiveIntegerField(
        default=defaults.SLA_POLICY["at_risk_after_hours"],
        help_text="A pending draft older than this is at risk (amber).",
    )
    breached_after_hours = models.PositiveIntegerField(
        default=defaults.SLA_POLICY["breached_after_hours"],
        help_text="A pending draft older than this breaches the SLA and escalates.",
    )
    max_age_hours = models.PositiveIntegerField(
        default=defaults.SLA_POLICY["max_age_hours"],
        help_text="expire_pending expires pending drafts older than this.",
    )
    daily_capacity = models.PositiveIntegerField(
        default=defaults.SLA_POLICY["daily_capacity"],
        help_text="Drafts the Head of Sales can decide per day.",
    )

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policy"

    def __str__(self) -> str:
        return f"SLA: target {self.target_hours} h, breach {self.breached_after_hours} h"

    def state_for(self, created_at, now=None) -> SlaState:
        """The SLA state of an item pending since ``created_at`` (see ``approvals.sla``)."""
        return sla.state_of(created_at, sla.cutoffs(self, now))


class MeetingPrepPolicy(_Singleton):
    """Quality bar a call-prep brief must meet to be published without review."""

    required_fields = models.JSONField(
        default=defaults.meeting_prep_required_fields,
        blank=True,
        help_text="Brief fields that must be present, e.g. summary, pain_points.",
    )
    min_pain_points = models.PositiveSmallIntegerField(
        default=defaults.MEETING_PREP_POLICY["min_pain_points"],
        help_text="Pain points a brief needs.",
    )
    min_objections = models.PositiveSmallIntegerField(
        default=defaults.MEETING_PREP_POLICY["min_objections"],
        help_text="Objections (each with a response) a brief needs.",
    )
    confidence_threshold = models.FloatField(
        default=defaults.MEETING_PREP_POLICY["confidence_threshold"],
        help_text="Briefs below this confidence are queued for review.",
    )

    class Meta:
        verbose_name = "meeting prep policy"
        verbose_name_plural = "meeting prep policy"

    def __str__(self) -> str:
        return f"Meeting prep: publish at confidence ≥ {self.confidence_threshold}"


class SendingLimits(_Singleton):
    """Outbound volume limits; a send over a limit waits for the window instead of failing."""

    per_day = models.PositiveIntegerField(
        default=defaults.SENDING_LIMITS["per_day"], help_text="Emails per rolling 24 hours."
    )
    per_hour = models.PositiveIntegerField(
        default=defaults.SENDING_LIMITS["per_hour"], help_text="Emails per rolling hour."
    )
    per_domain_per_hour = models.PositiveIntegerField(
        default=defaults.SENDING_LIMITS["per_domain_per_hour"],
        help_text="Emails to one recipient domain per rolling hour.",
    )

    class Meta:
        verbose_name = "sending limits"
        verbose_name_plural = "sending limits"

    def __str__(self) -> str:
        return f"{self.per_day}/day, {self.per_hour}/hour, {self.per_domain_per_hour}/domain/hour"


class QueueItem(models.Model):
    """A draft (email or call-prep brief) waiting for, or past, the Head of Sales' decision.

    ``status`` and ``version`` change only through ``approvals.decisions``; each change is a
    conditional UPDATE on both and writes one ``QueueEvent``.
    """

    kind = models.CharField(max_length=20, choices=QueueItemKind, default=QueueItemKind.EMAIL)
    lead = models.ForeignKey("agents.Lead", on_delete=models.PROTECT, related_name="queue_items")
    agent = models.CharField(max_length=40)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    original_subject = models.CharField(max_length=300, blank=True)
    original_body = models.TextField(blank=True)
    was_edited = models.BooleanField(default=False)
    edit_diff = models.TextField(blank=True, help_text="Unified diff of the approved edits.")
    tier = models.CharField(max_length=20, choices=Tier, blank=True)
    angle = models.CharField(max_length=60, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    rubric_results = models.JSONField(default=list, blank=True)
    rubric_state = models.CharField(
        max_length=20, choices=RubricState, default=RubricState.ALL_PASS
    )
    rubric_passed = models.PositiveSmallIntegerField(default=0)
    rubric_total = models.PositiveSmallIntegerField(default=0)
    blocked_reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=QueueStatus, default=QueueStatus.PENDING)
    version = models.PositiveIntegerField(default=1)
    correlation_id = models.CharField(max_length=128, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_queue_items",
    )
    rejection_category = models.ForeignKey(
        RejectionCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    rejection_reason = models.TextField(blank=True)
    feedback = models.TextField(blank=True)
    send_after = models.DateTimeField(
        null=True, blank=True, help_text="Set when sending limits deferred the send."
    )
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("decide_queueitem", "Can approve or reject queue items")]
        indexes = [
            # The inbox: pending drafts, oldest first (and expire_pending's age sweep). lead and
            # subject ride along so the inbox count and search read this small index instead of
            # the wide rows (draft bodies) of the table.
            models.Index(
                fields=["created_at", "id", "lead", "subject"],
                condition=Q(status="pending"),
                name="queue_pending_inbox_idx",
            ),
            # The "all statuses" inbox: pending first, then oldest first (the same expression
            # as QueueItemAdmin.get_ordering, so PostgreSQL reads it in order instead of sorting).
            models.Index(
                PENDING_FIRST,
                "created_at",
                "id",
                name="queue_pending_first_idx",
            ),
            # The inbox filtered by tier (and rubric state): the Head of Sales' usual slices.
            models.Index(
                fields=["tier", "rubric_state", "created_at"],
                condition=Q(status="pending"),
                name="queue_pending_tier_idx",
            ),
            # Status filters of the changelist and API, ordered by age.
            models.Index(fields=["status", "created_at"], name="queue_status_created_idx"),
            # Cancelling a lead's open items; rejection history of a lead.
            models.Index(fields=["lead", "status"], name="queue_lead_status_idx"),
            # The trace timeline link and API lookups by correlation id.
            models.Index(fields=["correlation_id"], name="queue_correlation_idx"),
            # API list ordered by creation across statuses (cursor pagination).
            models.Index(fields=["kind", "created_at", "id"], name="queue_kind_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="queue_version_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject or self.get_kind_display()} ({self.status})"

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def rubric_all_pass(self) -> bool:
        return self.rubric_state == RubricState.ALL_PASS


class QueueEvent(models.Model):
    """Append-only audit record of one lifecycle transition (written by ``decisions`` only)."""

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(max_length=30, choices=QueueEventType)
    from_status = models.CharField(max_length=20, choices=QueueStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=QueueStatus)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queue_events",
    )
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Event history on the change page and the replay invariant, in order.
            models.Index(fields=["item", "created_at", "id"], name="queue_event_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type}: {self.from_status or '∅'} → {self.to_status}"


class Suppression(models.Model):
    """An address or a whole domain that must never receive outbound email."""

    email = models.EmailField(blank=True, help_text="One address (leave domain empty).")
    domain = models.CharField(
        max_length=253,
        blank=True,
        help_text="A whole domain, e.g. rival.example (leave email empty).",
    )
    reason = models.CharField(max_length=30, choices=SuppressionReason)
    source = models.CharField(max_length=30, choices=SuppressionSource)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(email="") & ~Q(domain="")) | (~Q(email="") & Q(domain="")),
                name="suppression_email_xor_domain",
            ),
            # suppression_for() looks addresses and domains up by these unique keys.
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="suppression_unique_email"
            ),
            models.UniqueConstraint(
                fields=["domain"], condition=~Q(domain=""), name="suppression_unique_domain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email or '@' + self.domain} ({self.reason})"

    def clean(self) -> None:
        # Lookups are by lowercase address/domain (see suppression.suppression_for).
        self.email = self.email.strip().lower()
        self.domain = self.domain.strip().lower().lstrip("@")


class SentMessage(models.Model):
    """The send record of one queue item; its unique ``item`` is the key that prevents a second
    send (the task claims it with a conditional UPDATE from ``queued`` to ``sending``)."""

    item = models.OneToOneField(QueueItem, on_delete=models.PROTECT, related_name="sent_message")
    status = models.CharField(
        max_length=20, choices=SentMessageStatus, default=SentMessageStatus.QUEUED
    )
    to_email = models.EmailField()
    recipient_domain = models.CharField(max_length=253)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Sending limits: messages sent (or being sent) in the last hour/day, overall and
            # per recipient domain.
            models.Index(
                fields=["sent_at"],
                condition=Q(status__in=["sending", "sent"]),
                name="sent_message_window_idx",
            ),
            models.Index(
                fields=["recipient_domain", "sent_at"],
                condition=Q(status__in=["sending", "sent"]),
                name="sent_message_domain_window_idx",
            ),
            # Provider webhooks find the message they report on by Message-ID.
            models.Index(fields=["message_id"], name="sent_message_msgid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject} ({self.status})"


class WebhookEvent(models.Model):
    """One provider webhook delivery, stored by (provider, event id) so a repeat is a no-op."""

    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=20, choices=WebhookEventType)
    email = models.EmailField(blank=True)
    lead = models.ForeignKey(
        "agents.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="webhook_event_unique_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id} {self.event_type}"
