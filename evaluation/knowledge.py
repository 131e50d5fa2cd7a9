"""Approved knowledge: what an agent's output may state without having retrieved it.

The judge's groundedness check accepts a claim found either in what the case's tools returned
or here:

- every agent: the active segment standards' proof claims (the approved statistics), the
  sender's postal address (it is in every footer) and the product's own vocabulary;
- ``qualify``: the ICP scoring policy (points, size bands, thresholds, title families and
  industries with their points) rendered from the constants ``agents.icp`` scores with — the
  rationale explains the score with them;
- ``pipeline_scan``: the scan's windows, rendered from ``agents.scans``' constants.

Nothing about a prospect is ever approved knowledge: facts about a lead, a company or a
meeting must come from a tool.
"""

from __future__ import annotations

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


def _qualify_policy() -> str:
    """The ICP scoring policy as the scorer applies it: every number a rationale can state."""
    size = [
        f"{' or '.join(f'{low}–{high}' for low, high in ranges)} employees: {points}"
        for points, ranges, _ in icp.SIZE_BANDS
    ]
    size.append(f"above {icp.LARGE_COMPANY_ABOVE} employees: {icp.LARGE_COMPANY_POINTS}")
    views = ", ".join(f"≥{n} views {p}" for n, p in icp.PAGE_VIEW_POINTS)
    downloads = ", ".join(f"≥{n} downloads {p}" for n, p in icp.DOWNLOAD_POINTS)
    tiers = ", ".join(f"{tier} ≥ {threshold}" for tier, threshold in icp.TIER_THRESHOLDS)
    sectors = ", ".join(sector for sector, _ in icp.EXCLUDED_SECTORS)
    lo, hi = icp.TIER_1_SIZE
    return "\n".join(
        [
            f"ICP score 0–{icp.MAX_SCORE}: role + industry + size + tech stack + intent, "
            f"times the multipliers, capped at {icp.MAX_SCORE}.",
            "Title families (points): "
            + "; ".join(f"{f.label} {f.points}" for f in icp.TITLE_TAXONOMY),
            "Industries (points, segment): "
            + "; ".join(f"{i.label} {i.points} {i.segment}" for i in icp.INDUSTRIES),
            "Size: " + "; ".join(size) + ".",
            f"Tech stack: {icp.TECH_POINTS_PER_TOOL} per fitting tool, at most "
            f"{icp.TECH_MAX_POINTS}.",
            f"Intent, at most {icp.INTENT_MAX_POINTS}: page views {views}; downloads "
            f"{downloads}; event attended {icp.EVENT_POINTS}.",
            f"Multipliers: demo request ×{icp.DEMO_REQUEST_MULTIPLIER:g}, referral "
            f"×{icp.REFERRAL_MULTIPLIER:g}.",
            f"Tiers: {tiers}; below {icp.CONTACT_THRESHOLD} not contacted. tier_1 needs a "
            f"leader at a tier_1 industry with {lo}–{hi} employees.",
            f"Disqualified: fewer than {icp.MIN_EMPLOYEES} employees; the {sectors} sectors; "
            "excluded domains, competitors and existing customers.",
        ]
    )


def _scan_policy() -> str:
    """The pipeline scan's windows as the scan applies them."""
    return (
        f"Pipeline scan: meetings in the next {scans.MEETING_LOOKAHEAD_HOURS} hours get a call "
        f"prep brief; qualified leads unchanged for {scans.STALE_AFTER_DAYS} days are stale; "
        f"contacted leads with no reply {scans.GHOSTED_AFTER_DAYS} days after the last email "
        f"are ghosted; at most {scans.MAX_ITEMS} leads per list."
    )


def policy_knowledge(agent: str) -> tuple[str, ...]:
    """The agent's policy, rendered from the constants its code runs on (never from prose: a
    docstring edited for readability must not change a verdict)."""
    if agent == "qualify":
        return (_qualify_policy(),)
    if agent == "pipeline_scan":
        return (_scan_policy(),)
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
