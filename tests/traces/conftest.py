"""Fixtures of the traces tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def jsonl_path(tmp_path, settings):
    """Turn the JSONL sink on, writing to a fresh file."""
    path = tmp_path / "envelopes.jsonl"
    settings.TRACE_ENVELOPE_FILE = str(path)
    return path
