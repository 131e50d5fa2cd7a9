"""Choices of the traces app."""

from django.db import models

from agents.choices import AgentName

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


# The fixed list of agent names: our agents (one list, agents.choices.AgentName) and
# ``external`` for agents posting batches through the API.
EXTERNAL_AGENT = "external"
AGENT_CHOICES = [*AgentName.choices, (EXTERNAL_AGENT, "External agent")]


# The tool name prefix of agent-step spans (runners leave them out of tool logs).
STEP_PREFIX = "step."
