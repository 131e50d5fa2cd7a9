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


class TraceAgent(models.TextChoices):
    """The fixed list of agent names; ``external`` is for agents posting through the API."""

    QUALIFY = "qualify", "qualify"
    DRAFT_EMAIL = "draft_email", "draft_email"
    CALL_PREP = "call_prep", "call_prep"
    PIPELINE_SCAN = "pipeline_scan", "pipeline_scan"
    SEND_PIPELINE = "send_pipeline", "send_pipeline"
    EXTERNAL = "external", "external"


# The tool name prefix of agent-step spans (runners leave them out of tool logs).
STEP_PREFIX = "step."
