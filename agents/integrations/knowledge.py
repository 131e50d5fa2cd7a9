"""Knowledge integration: the approved messaging standards and product knowledge.

The segment standards are the Head of Sales' policy data and live in the approvals app, which
sits above this kernel: it registers the lookup with ``register_standards_lookup`` in
``ApprovalsConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable

from agents.integrations import AdapterError, NotConfigured, dataset

# tier -> the active standard's fields (angles, exemplars, forbidden lists, proof claims), or
# None when the tier has no active standard.
StandardsLookup = Callable[[str], dict | None]
_standards_lookup: StandardsLookup | None = None


def register_standards_lookup(lookup: StandardsLookup) -> None:
    global _standards_lookup
    _standards_lookup = lookup


class Simulated:
    """Simulated knowledge: segment standards from the approvals DB plus agents/data/knowledge.json."""

    # Reads our own database: runs in the caller's thread so it sees the caller's transaction.
    runs_inline = True

    def read_standards(self, *, tier: str, timeout=None) -> dict:
        if _standards_lookup is None:
            raise NotConfigured("no segment standards are registered (is approvals installed?)")
        standard = _standards_lookup(tier)
        if standard is None:
            raise AdapterError(f"no active segment standard for {tier}")
        knowledge = dataset("knowledge")
        return {
            "id": f"standard:{tier}",
            "tier": tier,
            **standard,
            "capabilities": list(knowledge["capabilities"]),
            "objection_library": list(knowledge["objection_library"]),
            "source": "knowledge:simulated",
        }


class Live:
    """Live knowledge base (no provider wired yet: every call raises NotConfigured)."""

    def read_standards(self, **kwargs) -> dict:
        raise NotConfigured("knowledge live mode has no provider configured")
