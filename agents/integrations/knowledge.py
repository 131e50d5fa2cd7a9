"""Knowledge integration: the approved messaging standards and product knowledge."""

from __future__ import annotations

from agents.integrations import AdapterError, NotConfigured, dataset


class Simulated:
    """Simulated knowledge: segment standards from the approvals DB plus agents/data/knowledge.json."""

    # Reads our own database: runs in the caller's thread so it sees the caller's transaction.
    runs_inline = True

    def read_standards(self, *, tier: str, timeout=None) -> dict:
        from approvals.models import SegmentStandard

        standard = SegmentStandard.objects.filter(tier=tier, active=True).first()
        if standard is None:
            raise AdapterError(f"no active segment standard for {tier}")
        knowledge = dataset("knowledge")
        return {
            "id": f"standard:{standard.tier}",
            "tier": standard.tier,
            "name": standard.name,
            "angles": list(standard.angles or []),
            "subject_exemplars": list(standard.subject_exemplars or []),
            "body_exemplars": list(standard.body_exemplars or []),
            "forbidden_claims": list(standard.forbidden_claims or []),
            "forbidden_phrases": list(standard.forbidden_phrases or []),
            "proof_claims": list(standard.proof_claims or []),
            "capabilities": list(knowledge["capabilities"]),
            "objection_library": list(knowledge["objection_library"]),
            "source": "knowledge:simulated",
        }


class Live:
    """Live knowledge base (no provider wired yet: every call raises NotConfigured)."""

    def read_standards(self, **kwargs) -> dict:
        raise NotConfigured("knowledge live mode has no provider configured")
