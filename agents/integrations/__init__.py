"""Adapters for the integrations agents use, one module per integration.

Each module defines a ``Simulated`` adapter over the deterministic dataset shipped in
``agents/data/`` and a ``Live`` adapter for the real provider. ``INTEGRATION_MODES`` picks one
per integration; ``adapter_for(name)`` returns the adapter in force. Agents never call adapters
directly: ``agents.gateway.call`` does, after the permission check and the rate limit.

Adapter methods take keyword arguments only (the tool's arguments) plus ``timeout`` (seconds,
for adapters that do I/O), and return JSON-serialisable dicts. Transient failures raise
``TransientAdapterError`` (the gateway retries them), permanent ones ``AdapterError``.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class AdapterError(Exception):
    """The provider answered with a failure that retrying will not fix."""

    error_code = "ADAPTER_ERROR"


class TransientAdapterError(AdapterError):
    """A failure worth retrying (provider 5xx, connection reset, simulated outage)."""


class NotConfigured(AdapterError):
    """The live adapter for this integration has no provider configured yet."""


@cache
def dataset(name: str) -> dict:
    """The simulated dataset ``agents/data/<name>.json`` (read once per process)."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def mode_of(integration: str) -> str:
    return settings.INTEGRATION_MODES.get(integration, "simulated")


def adapter_for(integration: str):
    """The adapter instance for ``integration`` in its configured mode."""
    if integration not in settings.INTEGRATIONS:
        raise AdapterError(f"unknown integration {integration!r}")
    module = importlib.import_module(f"agents.integrations.{integration}")
    cls = module.Live if mode_of(integration) == "live" else module.Simulated
    return cls()


def simulation_boundary() -> list[dict]:
    """One row per integration: its mode and what that means (for the command and readiness)."""
    rows = []
    for integration in settings.INTEGRATIONS:
        module = importlib.import_module(f"agents.integrations.{integration}")
        mode = mode_of(integration)
        cls = module.Live if mode == "live" else module.Simulated
        rows.append(
            {
                "integration": integration,
                "mode": mode,
                "simulated": mode == "simulated",
                "description": (cls.__doc__ or "").strip().splitlines()[0],
            }
        )
    return rows
