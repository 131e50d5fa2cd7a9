"""Golden sets and the record of every replay: what ran, what the judge said, what it blocked;
and the escalations raised when a production rule is breached."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from evaluation.assertions import AssertionSpecError, validate_assertion
from evaluation.choices import (
    CASE_FAILED_OUTCOMES,
    ESCALATION_TERMINAL_STATUSES,
    CaseCategory,
    CaseOutcome,
    CaseSource,
    EscalationRule,
    EscalationStatus,
    ReplayRunStatus,
    RunnerKind,
    Severity,
)


class GoldenSet(models.Model):
    """A named, versioned collection of golden cases; a replay names the version it ran.

    Importing a file with the same name and version replaces that version's cases; a changed
    set gets a new version so old replay runs keep pointing at what they actually judged.
    """

    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField(default=1)
    description = models.TextField(blank=True)
    schema_version = models.PositiveSmallIntegerField(
        default=2, help_text="Format of the file it was imported from (1 = seed array, 2 = ours)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="goldenset_name_version_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.name}@v{self.version}"


class GoldenCase(models.Model):
    """One golden case (schema v2): the input the runner sees and what the judge expects.

    ``input`` is the only part a runner ever receives. ``positive_constraints`` and
    ``negative_constraints`` are lists of typed assertions (``{"type", "value", "field",
    "description"}``, see ``evaluation.assertions``). A case promoted from a production miss
    starts inactive (a draft) and is replayed only after a reviewer activates it.
    """

    golden_set = models.ForeignKey(GoldenSet, on_delete=models.CASCADE, related_name="cases")
    case_id = models.CharField(max_length=100, help_text="Stable id inside the set, e.g. QUAL_001.")
    category = models.CharField(max_length=10, choices=CaseCategory, default=CaseCategory.CORE)
    severity = models.CharField(max_length=10, choices=Severity, default=Severity.MAJOR)
    agent = models.CharField(
        max_length=50,
        blank=True,
        help_text="Agent or pipeline that runs it (blank: external only).",
    )
    input = models.JSONField(default=dict, blank=True)
    expected_tools = models.JSONField(default=list, blank=True)
    positive_constraints = models.JSONField(default=list, blank=True)
    negative_constraints = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=20, choices=CaseSource, default=CaseSource.AUTHORED)
    source_ref = models.CharField(
        max_length=100, blank=True, help_text="What it came from, e.g. queue_item:42."
    )
    active = models.BooleanField(default=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["golden_set", "case_id"]
        constraints = [
            models.UniqueConstraint(fields=["golden_set", "case_id"], name="goldencase_set_id_uniq")
        ]
        indexes = [
            # The draft review list: inactive cases promoted from the queue, newest first.
            models.Index(
                fields=["-created_at"],
                name="goldencase_drafts_idx",
                condition=models.Q(active=False),
            ),
            # Promotion is idempotent per queue item: look up an existing case by its source.
            models.Index(fields=["source_ref"], name="goldencase_source_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.agent or 'external'})"

    def clean(self):
        """Refuse constraints the judge could not evaluate (admin edits go through here)."""
        errors = {}
        tools = self.expected_tools
        if not isinstance(tools, list) or not all(isinstance(t, str) and t for t in tools):
            errors["expected_tools"] = 'A list of exact tool names, e.g. ["crm.read_contact"].'
        for name in ("positive_constraints", "negative_constraints"):
            value = getattr(self, name)
            if not isinstance(value, list):
                errors[name] = "A list of assertions."
                continue
            for index, assertion in enumerate(value):
                try:
                    validate_assertion(assertion)
                except AssertionSpecError as exc:
                    errors[name] = f"Item {index}: {exc}"
                    break
        if not isinstance(self.input, dict):
            errors["input"] = "An object (lead, meeting, suppressed…)."
        if errors:
            raise ValidationError(errors)

    @property
    def queue_item_pk(self) -> str | None:
        if self.source == CaseSource.QUEUE_ITEM and self.source_ref.startswith("queue_item:"):
            return self.source_ref.split(":", 1)[1]
        return None


class ReplayRun(models.Model):
    """One execution of the replay gate over a golden set, with its verdict.

    Written only by ``evaluation.replay.run_replay``; read-only everywhere else.
    ``golden_set_label`` names the set even when the cases came from a file path, and is what
    ``--baseline last`` matches on.
    """

    golden_set = models.ForeignKey(
        GoldenSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    golden_set_label = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=ReplayRunStatus, default=ReplayRunStatus.RUNNING
    )
    runner = models.CharField(max_length=12, choices=RunnerKind, default=RunnerKind.IN_PROCESS)
    runner_cmd = models.TextField(blank=True)
    workers = models.PositiveSmallIntegerField(default=1)
    options = models.JSONField(default=dict, blank=True, help_text="Tags, max cases, timeout.")
    baseline = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # No default: every run records the bar it was judged against (evaluation.gate holds ours).
    min_pass_rate = models.FloatField()
    max_score_drop = models.FloatField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    runner_errors = models.PositiveIntegerField(default=0)
    pass_rate = models.FloatField(null=True, blank=True)
    mean_score = models.FloatField(null=True, blank=True)
    critical_failures = models.PositiveIntegerField(default=0)
    block_build = models.BooleanField(default=False)
    block_reasons = models.JSONField(default=list, blank=True)
    baseline_diff = models.JSONField(
        default=dict, blank=True, help_text="Per-case flips and score deltas against the baseline."
    )
    error = models.TextField(blank=True)
    triggered_by = models.CharField(max_length=50, default="command")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # --baseline last: the newest completed run of the same golden set.
            models.Index(
                fields=["golden_set_label", "-started_at"],
                name="replayrun_label_started_idx",
                condition=models.Q(status="completed"),
            ),
            # Admin/API list and the scorecard: runs newest first.
            models.Index(fields=["-started_at"], name="replayrun_started_idx"),
        ]

    def __str__(self) -> str:
        verdict = "blocked" if self.block_build else "ok"
        return f"Replay #{self.pk} {self.golden_set_label} ({self.status}, {verdict})"

    @property
    def duration_ms(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds() * 1000)


class CaseResult(models.Model):
    """The judge's verdict on one case in one replay run, with what the runner produced.

    ``judge`` validates against the seed's SME judge schema. Case fields are copied so a result
    stays readable after its golden case changes or is deleted.
    """

    run = models.ForeignKey(ReplayRun, on_delete=models.CASCADE, related_name="results")
    golden_case = models.ForeignKey(
        GoldenCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    case_id = models.CharField(max_length=100)
    agent = models.CharField(max_length=50, blank=True)
    category = models.CharField(max_length=10, choices=CaseCategory, default=CaseCategory.CORE)
    severity = models.CharField(max_length=10, choices=Severity, default=Severity.MAJOR)
    outcome = models.CharField(max_length=12, choices=CaseOutcome)
    overall_score = models.FloatField()
    judge = models.JSONField(default=dict)
    unchecked_constraints = models.JSONField(
        default=list, blank=True, help_text="Descriptive constraints the judge cannot check."
    )
    actual_output = models.TextField(blank=True)
    structured_output = models.JSONField(default=dict, blank=True)
    tool_trace_log = models.JSONField(default=list, blank=True)
    rag_context_chunks = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    correlation_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.FloatField(default=0)
    baseline_outcome = models.CharField(max_length=12, choices=CaseOutcome, blank=True)
    score_delta = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["run", "case_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "case_id"], name="caseresult_run_case_uniq")
        ]
        indexes = [
            # The run page and the scorecard: a run's failures first.
            models.Index(fields=["run", "outcome"], name="caseresult_run_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome} ({self.overall_score:.2f})"

    @property
    def passed(self) -> bool:
        return self.outcome == CaseOutcome.PASSED

    @property
    def failed(self) -> bool:
        return self.outcome in CASE_FAILED_OUTCOMES


class Escalation(models.Model):
    """A breached operating rule someone has to look at (DESIGN section 6, "Escalations").

    Raised only by ``evaluation.escalations.check_escalations``, at most once per rule per UTC
    day (``day`` is the deduplication key: an hourly check does not page anyone 24 times).
    ``status`` changes only through ``evaluation.escalations.acknowledge`` / ``resolve``
    (conditional UPDATE on the status); while not resolved, it holds the trace envelopes its
    detail points at so retention does not delete the evidence.
    """

    rule = models.CharField(max_length=30, choices=EscalationRule)
    day = models.DateField(help_text="UTC day it was raised: one escalation per rule per day.")
    severity = models.CharField(max_length=10, choices=Severity, default=Severity.MAJOR)
    status = models.CharField(
        max_length=15, choices=EscalationStatus, default=EscalationStatus.OPEN
    )
    title = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "day"], name="escalation_rule_day_uniq")
        ]
        indexes = [
            # Release readiness and the admin's default view: escalations not yet resolved.
            models.Index(
                fields=["severity", "-created_at"],
                name="escalation_unresolved_idx",
                condition=~models.Q(status="resolved"),
            ),
            # The admin changelist: newest first, filtered by status.
            models.Index(fields=["status", "-created_at"], name="escalation_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} on {self.day} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status not in ESCALATION_TERMINAL_STATUSES


class Scorecard(models.Model):
    """The weekly scorecard of one ISO week (DESIGN section 6, "Scorecard").

    Written only by ``evaluation.scorecards.build_scorecard``: rebuilding an unsigned week
    replaces its metrics; once its owner signs it off (``evaluation.scorecards.sign_off``, a
    conditional UPDATE on ``signed_off_at IS NULL``) it is never rewritten.
    """

    week = models.CharField(max_length=8, unique=True, help_text="ISO week, e.g. 2026-W48.")
    metrics = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # "2026-W48" sorts chronologically as text (the week number is zero-padded); the unique
        # index on week serves the admin list, the API and the trend chart.
        ordering = ["-week"]
        # Checked by evaluation.scorecards.sign_off (granted to the Head of Sales in roles.py).
        permissions = [("signoff_scorecard", "Can sign off a weekly scorecard")]

    def __str__(self) -> str:
        return f"Scorecard {self.week}" + (" (signed off)" if self.signed_off_at else "")

    @property
    def pass_rate(self) -> float | None:
        return (self.metrics.get("replay") or {}).get("pass_rate")

    @property
    def approval_rate(self) -> float | None:
        return (self.metrics.get("approvals") or {}).get("approval_rate")
