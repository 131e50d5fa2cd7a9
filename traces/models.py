"""Models of the traces app: one envelope per tool call or agent step, and holds on them."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from traces.choices import AGENT_CHOICES, SCHEMA_VERSION, TraceStatus


class TraceEnvelope(models.Model):
    """One recorded tool call (or agent step): what was asked, what came back, how it ended.

    Written only by the recorder and the batch API, already redacted; never edited.
    ``parent_id`` is a plain UUID, not a foreign key: a parent span closes after its children
    and may sit in a later batch, and pruning must not cascade through a trace.
    """

    # The DESIGN section 5 fields, in the order the COPY path and the API use.
    ENVELOPE_FIELDS = (
        "id",
        "timestamp",
        "correlation_id",
        "case_id",
        "parent_id",
        "agent",
        "tool_name",
        "tool_input_summary",
        "tool_output_summary",
        "retrieved_context_refs",
        "status",
        "duration_ms",
        "error_code",
        "error_message",
        "schema_version",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    timestamp = models.DateTimeField(help_text="UTC, when the call started.")
    correlation_id = models.CharField(max_length=128)
    case_id = models.CharField(max_length=128, null=True, blank=True)
    parent_id = models.UUIDField(null=True, blank=True)
    agent = models.CharField(max_length=64, choices=AGENT_CHOICES)
    tool_name = models.CharField(max_length=128)
    tool_input_summary = models.TextField(blank=True, default="")
    tool_output_summary = models.TextField(blank=True, default="")
    retrieved_context_refs = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=TraceStatus.choices)
    duration_ms = models.FloatField()
    error_code = models.CharField(max_length=64, null=True, blank=True)
    error_message = models.TextField(null=True, blank=True)
    schema_version = models.PositiveSmallIntegerField(default=SCHEMA_VERSION)

    class Meta:
        verbose_name = "trace envelope"
        indexes = [
            # Timeline page and GET /api/v1/traces/?correlation_id=…: one id's spans in order.
            models.Index(fields=["correlation_id", "timestamp"], name="trace_correlation_ts_idx"),
            # Replay results by golden case; most rows have no case, so only those are indexed.
            models.Index(
                fields=["case_id", "timestamp"],
                name="trace_case_ts_idx",
                condition=Q(case_id__isnull=False),
            ),
            # prune_traces (timestamp < cutoff) and the admin list's newest-first order.
            models.Index(fields=["timestamp"], name="trace_timestamp_idx"),
            # Admin filters by agent and tool, newest first.
            models.Index(fields=["agent", "tool_name", "timestamp"], name="trace_agent_tool_idx"),
            # Admin "errors / blocked" filters: failures are the rare rows worth a partial index.
            models.Index(
                fields=["status", "error_code", "timestamp"],
                name="trace_failed_idx",
                condition=~Q(status=TraceStatus.OK),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.tool_name} {self.status} ({self.correlation_id})"


class TraceHold(models.Model):
    """Keeps envelopes from pruning while a holder (golden case, replay result, escalation)
    needs them. A hold names either one correlation id (every envelope of it) or one envelope.

    The holder is generic so any app can hold traces without this app knowing its models.
    ``envelope_id`` is not a foreign key: a hold may be taken inside a held trace scope before
    its envelopes are flushed.
    """

    holder_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    holder_id = models.CharField(max_length=64)
    holder = GenericForeignKey("holder_type", "holder_id")
    correlation_id = models.CharField(max_length=128, blank=True, default="")
    envelope_id = models.UUIDField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "trace hold"
        constraints = [
            models.CheckConstraint(
                condition=(Q(envelope_id__isnull=True) & ~Q(correlation_id=""))
                | (Q(envelope_id__isnull=False) & Q(correlation_id="")),
                name="trace_hold_one_target",
            ),
            models.UniqueConstraint(
                fields=["holder_type", "holder_id", "correlation_id"],
                condition=~Q(correlation_id=""),
                name="trace_hold_unique_correlation",
            ),
            models.UniqueConstraint(
                fields=["holder_type", "holder_id", "envelope_id"],
                condition=Q(envelope_id__isnull=False),
                name="trace_hold_unique_envelope",
            ),
        ]
        indexes = [
            # release(holder): every hold of one holder.
            models.Index(fields=["holder_type", "holder_id"], name="trace_hold_holder_idx"),
            # prune_traces excludes held correlation ids.
            models.Index(
                fields=["correlation_id"],
                name="trace_hold_correlation_idx",
                condition=~Q(correlation_id=""),
            ),
            # prune_traces excludes held envelopes.
            models.Index(
                fields=["envelope_id"],
                name="trace_hold_envelope_idx",
                condition=Q(envelope_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        target = self.correlation_id or f"envelope {self.envelope_id}"
        return f"hold on {target} by {self.holder_type_id}:{self.holder_id}"
