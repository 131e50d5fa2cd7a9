"""Enrichment integration: firmographics and person facts for a contact."""

from __future__ import annotations

import time

from agents.integrations import NotConfigured, TransientAdapterError, dataset


class Simulated:
    """Simulated enrichment over agents/data/enrichment.json (company and person facts)."""

    def enrich_contact(self, *, email: str = "", domain: str = "", timeout=None) -> dict:
        data = dataset("enrichment")
        email = (email or "").strip().lower()
        domain = (domain or "").strip().lower() or (
            email.rsplit("@", 1)[-1] if "@" in email else ""
        )
        company = dict(data["companies"].get(domain) or {})
        # Records that simulate a slow or failing provider, so timeouts and the circuit breaker
        # are exercised through the same path a real provider would take.
        if company.get("latency_ms"):
            delay = company["latency_ms"] / 1000
            if timeout is not None and delay > timeout:
                time.sleep(timeout)
                raise TimeoutError(f"enrichment provider did not answer within {timeout}s")
            time.sleep(delay)
        if company.get("error"):
            raise TransientAdapterError(company["error"])
        person = dict(data["people"].get(email) or {})
        return {
            "found": bool(company or person),
            "domain": domain,
            "company": company or None,
            "person": person or None,
            "source": "enrichment:simulated",
        }


class Live:
    """Live enrichment (no provider wired yet: every call raises NotConfigured)."""

    def enrich_contact(self, **kwargs) -> dict:
        raise NotConfigured("enrichment live mode has no provider configured")
