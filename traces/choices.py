"""Choices of the traces app."""

from django.db import models

# Bumped when the envelope's fields change meaning; stored on every row and JSONL line.
SCHEMA_VERSION = 1

# Hard limits of DESIGN section 5.
SUMMARY_MAX_CHARS = 500
MAX_CONTEXT_REFS = 100


class TraceStatus(models.TextChoices):
    OK = "ok", "ok"
    ERROR = "error", "error"
    BLOCKED = "blocked", "blocked"


# Statuses the admin highlights and the recorder flushes at once.
TRACE_FAILED_STATUSES = frozenset({TraceStatus.ERROR, TraceStatus.BLOCKED})
# How the admin colours each status.
TRACE_STATUS_COLOURS = {
    TraceStatus.OK: "#2e7d32",
    TraceStatus.ERROR: "#ba2121",
    TraceStatus.BLOCKED: "#a05a00",
}


class AgentName(models.TextChoices):
    """Our agents. They live here, below the agents app, because every trace envelope names
    one (the agents app and everything above it import them from here)."""

    QUALIFY = "qualify", "Qualify"
    DRAFT_EMAIL = "draft_email", "Draft email"
    CALL_PREP = "call_prep", "Call prep"
    PIPELINE_SCAN = "pipeline_scan", "Pipeline scan"
    SEND_PIPELINE = "send_pipeline", "Send pipeline"


# The fixed list of agent names an envelope may carry: our agents and ``external`` for agents
# posting batches through the API.
EXTERNAL_AGENT = "external"
AGENT_CHOICES = [*AgentName.choices, (EXTERNAL_AGENT, "External agent")]


# The tool name prefix of agent-step spans (runners leave them out of tool logs).
STEP_PREFIX = "step."
