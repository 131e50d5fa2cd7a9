"""Approved knowledge: what an agent's output may state without having retrieved it.

The judge's groundedness check accepts a claim found either in what the case's tools returned
or here:

- every agent: the active segment standards' proof claims (the approved statistics), the
  sender's postal address (it is in every footer) and the product's own vocabulary;
- ``qualify``: the documented ICP scoring policy (points, size bands, thresholds) and the
  title families and industries with their points — the rationale explains the score
  with them;
- ``pipeline_scan``: the documented scan policy (its look-ahead window).

Nothing about a prospect is ever approved knowledge: facts about a lead, a company or a
meeting must come from a tool.
"""

from __future__ import annotations

import inspect
from functools import cache

from django.conf import settings

from agents import icp, scans
from approvals.models import SegmentStandard
from evaluation.judge import Corpus

# Our own roles and product name: vocabulary, not claims about anybody.
PRODUCT_VOCABULARY = "CAIO. The Head of Sales approves drafts in the approval queue."


def common_knowledge() -> list[str]:
    texts = [PRODUCT_VOCABULARY, settings.SENDER_POSTAL_ADDRESS]
    for claims in SegmentStandard.objects.filter(active=True).values_list(
        "proof_claims", flat=True
    ):
        texts.extend(str(c.get("claim", "")) for c in claims or () if isinstance(c, dict))
    return [t for t in texts if t]


@cache
def policy_knowledge(agent: str) -> tuple[str, ...]:
    """The agent's documented policy texts (code constants: cached for the process)."""
    if agent == "qualify":
        entries = (*getattr(icp, "TITLE_TAXONOMY", ()), *getattr(icp, "INDUSTRIES", ()))
        table = "; ".join(
            f"{getattr(entry, 'label', '')} {getattr(entry, 'points', '')}" for entry in entries
        )
        return (inspect.getdoc(icp) or "", table)
    if agent == "pipeline_scan":
        return (inspect.getdoc(scans) or "",)
    return ()


class Knowledge:
    """Approved knowledge for one replay: read and indexed once per run and agent."""

    def __init__(self):
        self.common = common_knowledge()
        self._corpora: dict[str, Corpus] = {}

    def for_agent(self, agent: str) -> Corpus:
        if agent not in self._corpora:
            self._corpora[agent] = Corpus([*self.common, *policy_knowledge(agent)])
        return self._corpora[agent]
