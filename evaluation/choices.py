"""Choices of the evaluation app: golden case categories, severities, run and result states,
escalation rules and states."""

from django.db import models


class CaseCategory(models.TextChoices):
    CORE = "core", "Core"
    EDGE = "edge", "Edge"
    MULTI = "multi", "Multi-step"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"


# How the admin colours an escalation's severity (a resolved one is greyed, see below).
SEVERITY_COLOURS = {
    Severity.CRITICAL: "#ba2121",
    Severity.MAJOR: "#b36b00",
    Severity.MINOR: "#b36b00",
}


class AssertionType(models.TextChoices):
    """Typed constraint kinds the judge checks (see evaluation.assertions)."""

    CONTAINS = "contains", "contains (case-sensitive substring)"
    ICONTAINS = "icontains", "icontains (case-insensitive, word boundary)"
    REGEX = "regex", "regex matches"
    NOT_CONTAINS = "not_contains", "does not contain (case-sensitive substring)"
    NOT_REGEX = "not_regex", "regex does not match"
    FIELD_EQUALS = "field_equals", "structured field equals"
    MAX_LENGTH = "max_length", "output at most N characters"
    TOOL_CALLED = "tool_called", "tool was called"
    TOOL_NOT_CALLED = "tool_not_called", "tool was not called"
    # A v1 free-text rule nobody has turned into a check yet: reported, never pretended.
    DESCRIPTIVE = "descriptive", "descriptive (not machine-checkable)"


class CaseSource(models.TextChoices):
    AUTHORED = "authored", "Authored"
    IMPORTED_V1 = "imported_v1", "Imported from a v1 file"
    QUEUE_ITEM = "queue_item", "Promoted from a queue item"


class RunnerKind(models.TextChoices):
    IN_PROCESS = "in_process", "In-process agents"
    EXTERNAL = "external", "External command"


class ReplayRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    ERROR = "error", "Error"


REPLAY_RUN_TERMINAL_STATUSES = frozenset({ReplayRunStatus.COMPLETED, ReplayRunStatus.ERROR})


class CaseOutcome(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    RUNNER_ERROR = "runner_error", "Runner error"


CASE_FAILED_OUTCOMES = frozenset({CaseOutcome.FAILED, CaseOutcome.RUNNER_ERROR})
CASE_OUTCOME_COLOURS = {
    CaseOutcome.PASSED: "green",
    CaseOutcome.FAILED: "#ba2121",
    CaseOutcome.RUNNER_ERROR: "#ba2121",
}


class EscalationRule(models.TextChoices):
    """What raised an escalation (DESIGN section 6, "Escalations")."""

    REPLAY_PASS_RATE = "replay_pass_rate", "Replay pass rate below the release bar"
    GROUNDEDNESS_FAILURE = "groundedness_failure", "Groundedness hard-fail in the latest replay"
    REDIS_UNAVAILABLE = "redis_unavailable", "Redis unavailable while REDIS_REQUIRED"
    INNGEST_UNUSABLE = "inngest_unusable", "Inngest keys missing while INNGEST_REQUIRED"
    QUEUE_AGING = "queue_aging", "Queue aging beyond the SLA breach threshold"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


ESCALATION_TERMINAL_STATUSES = frozenset({EscalationStatus.RESOLVED})
# Still someone's problem: release readiness counts these, and they hold their traces.
ESCALATION_OPEN_STATUSES = frozenset({EscalationStatus.OPEN, EscalationStatus.ACKNOWLEDGED})
# Colours that override the severity's: nobody needs to look at a resolved escalation.
ESCALATION_STATUS_COLOURS = {EscalationStatus.RESOLVED: "grey"}
