"""ICP scoring: the rules behind a lead's score, tier and rationale (DESIGN section 9).

The score is the sum of five components, each capped, before a multiplier:

===========  =====  ==========================================================================
component    max    rule
===========  =====  ==========================================================================
role           35   title family from ``TITLE_TAXONOMY`` (word-boundary match, best family wins)
industry       30   tier_1 industries 30, tier_2 industries 22, tier_3 industries 15
size           20   51–500 employees 20; 10–50 or 501–1000 employees 12; above 1000 6
tech stack     10   4 per tool that CAIO works with (``FIT_TECH``)
intent         10   page views (≥3: 3, ≥10: 6), downloads (1: 3, ≥2: 4), event attended 2
===========  =====  ==========================================================================

Multipliers (applied after the sum, result capped at 100): a demo request ×1.2, a referral
source ×1.1. Tiers: tier_1 ≥ 80, tier_2 ≥ 60, tier_3 ≥ 40; below 40 the lead is not contacted.

The score tier is then capped by the segment profile (section 9), so a lead gets the messaging
written for people like them: tier_1 needs a C-suite/founder/owner/managing-partner title at a
tier_1 industry with 51–500 employees; tier_2 needs a senior title (those, CTO/CIO, VPs, heads
of innovation) at a tier_1 or tier_2 industry; anything else is at most tier_3. Strong intent
raises the score, never the segment.

Hard disqualifications (score 0, tier ``disqualified``): government, non-profit or education
sector (by industry words or a .gov/.mil/.edu-style domain), fewer than 10 employees, an
excluded domain, and — from the CRM — a competitor or an existing customer.

The numbers above are documentation; the scorer reads the constants below (``SIZE_BANDS``,
``TIER_THRESHOLDS``…), and so does the judge's approved knowledge, which is rendered from them
(``evaluation.knowledge``): editing this text changes no score and no verdict.

``score_lead`` is pure: the caller passes the CRM account it looked up through the gateway
(``crm.lookup_account``, which also says whether the domain is excluded);
``account_disqualifications`` is the part of it the drafting agent re-applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.choices import Tier

# The scoring policy's numbers. The scorer reads them, and so does the judge's approved
# knowledge (evaluation.knowledge): what a rationale may state is exactly what is used here.
MAX_SCORE = 100
TIER_THRESHOLDS = ((Tier.TIER_1, 80), (Tier.TIER_2, 60), (Tier.TIER_3, 40))
CONTACT_THRESHOLD = 40
MIN_EMPLOYEES = 10
# (points, inclusive employee ranges, how the rationale names the band); the first band
# holding the head count wins, and a company above every band gets LARGE_COMPANY_POINTS.
SIZE_BANDS: tuple[tuple[int, tuple[tuple[int, int], ...], str], ...] = (
    (20, ((51, 500),), "51–500 sweet spot"),
    (12, ((10, 50), (501, 1000)), "10–50 or 501–1000"),
)
LARGE_COMPANY_POINTS = 6
LARGE_COMPANY_ABOVE = max(high for _, ranges, _ in SIZE_BANDS for _, high in ranges)
# tier_1's segment profile: leaders at tier_1 industries of the sweet-spot size.
TIER_1_SIZE = SIZE_BANDS[0][1][0]
TECH_POINTS_PER_TOOL = 4
TECH_MAX_POINTS = 10
# (at least this many, points), best first.
PAGE_VIEW_POINTS = ((10, 6), (3, 3))
DOWNLOAD_POINTS = ((2, 4), (1, 3))
EVENT_POINTS = 2
INTENT_MAX_POINTS = 10
DEMO_REQUEST_MULTIPLIER = 1.2
REFERRAL_MULTIPLIER = 1.1


def normalise_title(title: str) -> str:
    """Lowercase, ``&`` → ``and``, punctuation → space, ``v.p.`` → ``vp``; single spaces."""
    text = (title or "").lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\bv p\b", "vp", text)
    text = re.sub(r"\bco founder\b", "cofounder", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class TitleFamily:
    key: str
    label: str
    points: int
    patterns: tuple[re.Pattern, ...]
    # What this role usually owns; used as role-specific context by the composer.
    owns: str


def _p(*regexes: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(rx) for rx in regexes)


_VP_ANY = r"\b(?:vp|svp|evp|avp|vice president)\b"

# Every pattern runs on ``normalise_title`` output and is anchored on word boundaries, so the
# traps stay out: "cto" never matches inside "director", "president" never matches "vice
# president", "owner" never matches "product owner", "coo" never matches "cooperative".
TITLE_TAXONOMY: tuple[TitleFamily, ...] = (
    TitleFamily(
        "executive",
        "C-suite",
        35,
        _p(
            r"\b(?:ceo|coo|cfo|cro|cmo|cco)\b",
            r"\bchief (?!technology\b|information\b|digital\b|data\b)[a-z]+(?: [a-z]+)? officer\b",
            r"(?<!\bvice )(?<!\bvp )\bpresident\b",
            r"\bmanaging director\b",
        ),
        "company strategy, revenue growth and margins",
    ),
    TitleFamily(
        "founder",
        "founder",
        35,
        _p(r"\b(?:founder|cofounder)\b"),
        "company strategy and growth",
    ),
    TitleFamily(
        "owner",
        "owner",
        35,
        _p(
            r"(?<!\bproduct )(?<!\bprocess )(?<!\bdata )(?<!\baccount )(?<!\bservice )"
            r"(?<!\bcontrol )\bowner\b",
            r"\bproprietor\b",
        ),
        "the business end to end",
    ),
    TitleFamily(
        "managing_partner",
        "managing partner",
        35,
        _p(r"\b(?:managing|founding|senior|equity|name) partner\b", r"^partner$"),
        "firm growth, utilisation and client intake",
    ),
    TitleFamily(
        "tech_executive",
        "CTO/CIO",
        25,
        _p(
            r"\b(?:cto|cio|cdo)\b",
            r"\bchief (?:technology|information|digital|data) officer\b",
        ),
        "systems, tooling and the technology roadmap",
    ),
    TitleFamily(
        "vp_operations_strategy",
        "VP operations/strategy",
        25,
        _p(
            _VP_ANY + r".*\b(?:operations|ops|strategy|innovation|transformation)\b",
            r"\b(?:operations|strategy|innovation)\b.*" + _VP_ANY,
        ),
        "operating efficiency and cross-team process",
    ),
    TitleFamily(
        "head_of_innovation",
        "head of innovation/strategy/operations",
        25,
        _p(r"\bhead of (?:innovation|transformation|strategy|operations|digital)\b"),
        "new initiatives and how work gets done",
    ),
    TitleFamily(
        "vp",
        "vice president",
        18,
        _p(_VP_ANY, r"\bhead of [a-z]+"),
        "their function's targets and team",
    ),
    TitleFamily(
        "director_ops_it_data",
        "director of operations/IT/data",
        15,
        _p(
            r"\bdirector\b.*\b(?:operations|ops|it|information technology|data|analytics)\b",
            r"\b(?:operations|ops|it|data|analytics)\b.*\bdirector\b",
        ),
        "day-to-day operations, systems and reporting",
    ),
    TitleFamily("director", "director", 10, _p(r"\bdirector\b"), "their department's results"),
    TitleFamily("manager", "manager", 5, _p(r"\bmanager\b", r"\blead\b"), "their team's work"),
)
_FAMILIES = {family.key: family for family in TITLE_TAXONOMY}


def match_title(title: str) -> TitleFamily | None:
    """The highest-scoring title family whose pattern matches ``title`` (None if none)."""
    normalised = normalise_title(title)
    if not normalised:
        return None
    best: TitleFamily | None = None
    for family in TITLE_TAXONOMY:
        if any(p.search(normalised) for p in family.patterns) and (
            best is None or family.points > best.points
        ):
            best = family
    return best


def title_family(key: str) -> TitleFamily:
    return _FAMILIES[key]


@dataclass(frozen=True)
class Industry:
    key: str
    label: str
    points: int
    segment: str
    patterns: tuple[re.Pattern, ...]


# Order matters only between overlapping words: IT services before consulting/software.
INDUSTRIES: tuple[Industry, ...] = (
    Industry("it_services", "IT services", 22, Tier.TIER_2, _p(r"\bit services\b", r"\bmanaged services\b", r"\bmsp\b", r"\bit consulting\b")),
    Industry("agency", "agency", 30, Tier.TIER_1, _p(r"\bagency\b", r"\bagencies\b", r"\badvertising\b", r"\bmarketing services\b", r"\bcreative services\b")),
    Industry("staffing", "staffing", 30, Tier.TIER_1, _p(r"\bstaffing\b", r"\brecruit(?:ing|ment)\b", r"\btalent acquisition\b")),
    Industry("consulting", "consulting", 30, Tier.TIER_1, _p(r"\bconsult(?:ing|ancy|ants?)\b", r"\bprofessional services\b", r"\badvisory\b")),
    Industry("legal", "legal", 30, Tier.TIER_1, _p(r"\blegal\b", r"\blaw\b", r"\blaw firm\b")),
    Industry("accounting", "accounting", 30, Tier.TIER_1, _p(r"\baccounting\b", r"\bcpa\b", r"\bbookkeeping\b", r"\btax services\b")),
    Industry("real_estate", "real estate", 30, Tier.TIER_1, _p(r"\breal estate\b", r"\brealty\b", r"\bproperty management\b")),
    Industry("ecommerce", "e-commerce", 30, Tier.TIER_1, _p(r"\be ?commerce\b", r"\bonline retail\b", r"\bd2c\b", r"\bdtc\b")),
    Industry("b2b_software", "B2B software", 22, Tier.TIER_2, _p(r"\bsaas\b", r"\bsoftware\b")),
    Industry("healthcare", "healthcare", 22, Tier.TIER_2, _p(r"\bhealth ?care\b", r"\bmedical\b", r"\bclinics?\b", r"\bhospitals?\b")),
    Industry("financial_services", "financial services", 22, Tier.TIER_2, _p(r"\bfinancial services\b", r"\bfintech\b", r"\bbanking\b", r"\binsurance\b", r"\bwealth management\b")),
    Industry("manufacturing", "manufacturing", 15, Tier.TIER_3, _p(r"\bmanufactur(?:ing|er)\b", r"\bindustrial\b")),
    Industry("logistics", "logistics", 15, Tier.TIER_3, _p(r"\blogistics\b", r"\bsupply chain\b", r"\bfreight\b", r"\btransportation\b")),
    Industry("construction", "construction", 15, Tier.TIER_3, _p(r"\bconstruction\b", r"\bcontractors?\b")),
    Industry("field_services", "field services", 15, Tier.TIER_3, _p(r"\bfield services?\b", r"\bhvac\b", r"\bplumbing\b", r"\bfacilities\b")),
)  # fmt: skip

# Sectors we never contact. Checked before INDUSTRIES, so "government agency" is government.
EXCLUDED_SECTORS: tuple[tuple[str, tuple[re.Pattern, ...]], ...] = (
    ("government", _p(r"\bgovernment\b", r"\bpublic sector\b", r"\bmunicipal(?:ity)?\b", r"\bfederal\b", r"\bmilitary\b")),
    ("non-profit", _p(r"\bnon ?profit\b", r"\bnot for profit\b", r"\bcharit(?:y|able)\b", r"\bngo\b")),
    ("education", _p(r"\beducation\b", r"\buniversit(?:y|ies)\b", r"\bcolleges?\b", r"\bschools?\b", r"\bk 12\b", r"\bacademic\b")),
)  # fmt: skip
EXCLUDED_DOMAIN_SUFFIXES = (
    (r"\.(?:gov|mil)(?:\.[a-z]{2})?$", "government"),
    (r"\.gc\.ca$", "government"),
    (r"\.(?:edu)(?:\.[a-z]{2})?$", "education"),
    (r"\.ac\.[a-z]{2}$", "education"),
    (r"\.k12\.[a-z]{2}\.us$", "education"),
)

FIT_TECH = frozenset(
    {
        "hubspot",
        "salesforce",
        "pipedrive",
        "zoho crm",
        "slack",
        "zapier",
        "google workspace",
        "microsoft 365",
        "notion",
        "asana",
        "monday.com",
        "airtable",
        "clio",
        "shopify",
    }
)


def _normalise_text(value: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", (value or "").lower())).strip()


def match_industry(industry: str) -> Industry | None:
    text = _normalise_text(industry)
    for candidate in INDUSTRIES:
        if any(p.search(text) for p in candidate.patterns):
            return candidate
    return None


def excluded_sector(industry: str, domain: str) -> str | None:
    """``government``/``non-profit``/``education`` when the industry or domain says so."""
    text = _normalise_text(industry)
    for sector, patterns in EXCLUDED_SECTORS:
        if any(p.search(text) for p in patterns):
            return sector
    domain = (domain or "").lower()
    for pattern, sector in EXCLUDED_DOMAIN_SUFFIXES:
        if re.search(pattern, domain):
            return sector
    return None


@dataclass
class IcpResult:
    """The outcome of scoring one lead; ``rationale`` lists every rule that fired."""

    score: int
    tier: str
    rationale: list[dict] = field(default_factory=list)
    disqualifications: list[str] = field(default_factory=list)
    title_family: str = ""
    industry: str = ""

    @property
    def contactable(self) -> bool:
        return self.tier in {Tier.TIER_1, Tier.TIER_2, Tier.TIER_3}

    def summary(self) -> str:
        lines = [f"ICP score {self.score}/{MAX_SCORE}, tier {self.tier}."]
        if self.disqualifications:
            lines.append("Disqualified: " + "; ".join(self.disqualifications) + ".")
        lines.extend(f"- {r['rule']} ({r['points']:+g}): {r['detail']}" for r in self.rationale)
        return "\n".join(lines)


_TIER_RANK = {Tier.TIER_1: 1, Tier.TIER_2: 2, Tier.TIER_3: 3}
_LEADER_FAMILIES = frozenset({"executive", "founder", "owner", "managing_partner"})
_SENIOR_FAMILIES = _LEADER_FAMILIES | {
    "tech_executive",
    "vp_operations_strategy",
    "head_of_innovation",
    "vp",
}


def segment_cap(family: TitleFamily | None, industry: Industry | None, employees) -> str:
    """The best tier the lead's profile allows (see the module docstring)."""
    key = family.key if family else ""
    segment = industry.segment if industry else None
    low, high = TIER_1_SIZE
    if (
        key in _LEADER_FAMILIES
        and segment == Tier.TIER_1
        and employees is not None
        and low <= employees <= high
    ):
        return Tier.TIER_1
    if key in _SENIOR_FAMILIES and segment in (Tier.TIER_1, Tier.TIER_2):
        return Tier.TIER_2
    return Tier.TIER_3


def _rule(rationale: list[dict], rule: str, points: float, detail: str) -> None:
    rationale.append({"rule": rule, "points": points, "detail": detail})


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _size_points(employees: int | None) -> tuple[int, str]:
    if employees is None:
        return 0, "employee count unknown"
    for points, ranges, label in SIZE_BANDS:
        if any(low <= employees <= high for low, high in ranges):
            return points, f"{employees} employees ({label})"
    return LARGE_COMPANY_POINTS, f"{employees} employees (above {LARGE_COMPANY_ABOVE})"


def _step_points(count: int, steps: tuple[tuple[int, int], ...]) -> int:
    return next((points for at_least, points in steps if count >= at_least), 0)


def _intent_points(signals: dict) -> list[tuple[str, int, str]]:
    fired = []
    views = _as_int(signals.get("page_views"))
    if points := _step_points(views, PAGE_VIEW_POINTS):
        fired.append(("intent.page_views", points, f"{views} page views"))
    downloads = signals.get("downloads")
    count = len(downloads) if isinstance(downloads, list) else _as_int(downloads)
    if points := _step_points(count, DOWNLOAD_POINTS):
        what = "1 content download" if count == 1 else f"{count} content downloads"
        fired.append(("intent.downloads", points, what))
    if signals.get("event_attended") or signals.get("webinar"):
        fired.append(("intent.event", EVENT_POINTS, "attended an event or webinar"))
    return fired


@dataclass(frozen=True)
class AccountDisqualification:
    """One reason the CRM account rules a lead out: a rationale rule, the reason given for the
    lead (and by the drafting agent when it stops), and the rationale detail."""

    rule: str
    reason: str
    detail: str


def account_disqualifications(account: dict | None, domain: str) -> list[AccountDisqualification]:
    """Why the CRM account of ``domain`` (``crm.lookup_account``'s answer) rules its leads out:
    an excluded domain, a competitor or an existing customer. The one rule qualification (in
    ``score_lead``) and the drafting agent (before it drafts) both apply."""
    account = account or {}
    name = account.get("name") or domain
    found = []
    if account.get("excluded"):
        found.append(
            AccountDisqualification(
                "disqualify.excluded_domain", f"{domain} is an excluded domain", domain
            )
        )
    relationship = account.get("relationship", "")
    if relationship == "competitor":
        found.append(
            AccountDisqualification(
                "disqualify.competitor",
                f"{name} is a competitor (CRM)",
                "CRM account marked competitor; do not contact",
            )
        )
    elif relationship == "customer":
        found.append(
            AccountDisqualification(
                "disqualify.existing_customer",
                f"{name} is an existing customer (CRM)",
                "CRM account marked customer",
            )
        )
    return found


def score_lead(lead: dict, *, crm_account: dict | None = None) -> IcpResult:
    """Score ``lead`` (a dict of Lead fields) against the ICP; see the module docstring."""
    rationale: list[dict] = []
    disqualifications: list[str] = []
    domain = (lead.get("company_domain") or "").lower() or (
        (lead.get("email") or "").rsplit("@", 1)[-1].lower()
        if "@" in (lead.get("email") or "")
        else ""
    )
    employees = lead.get("employee_count")
    employees = _as_int(employees) if employees not in (None, "") else None

    sector = excluded_sector(lead.get("industry", ""), domain)
    if sector:
        disqualifications.append(f"{sector} sector is excluded")
        _rule(rationale, f"disqualify.{sector.replace('-', '_')}", 0, f"{sector} organisation")
    if employees is not None and employees < MIN_EMPLOYEES:
        disqualifications.append(f"fewer than {MIN_EMPLOYEES} employees ({employees})")
        _rule(rationale, "disqualify.too_small", 0, f"{employees} employees")
    for found in account_disqualifications(crm_account, domain):
        disqualifications.append(found.reason)
        _rule(rationale, found.rule, 0, found.detail)

    family = match_title(lead.get("title", ""))
    industry = match_industry(lead.get("industry", "")) if not sector else None
    total = 0.0
    if family:
        total += family.points
        _rule(
            rationale,
            f"title.{family.key}",
            family.points,
            f"'{lead.get('title')}' → {family.label}",
        )
    else:
        _rule(
            rationale, "title.unmatched", 0, f"'{lead.get('title') or ''}' matches no title family"
        )
    if industry:
        total += industry.points
        _rule(
            rationale,
            f"industry.{industry.key}",
            industry.points,
            f"{industry.label} ({industry.segment} industry)",
        )
    elif not sector:
        _rule(
            rationale,
            "industry.unmatched",
            0,
            f"'{lead.get('industry') or ''}' is not a target industry",
        )
    size, size_detail = _size_points(employees)
    if employees is None or employees >= MIN_EMPLOYEES:
        total += size
        _rule(rationale, "size", size, size_detail)
    stack = [t for t in lead.get("tech_stack") or [] if isinstance(t, str)]
    fits = sorted({t for t in stack if t.strip().lower() in FIT_TECH}, key=str.lower)
    if fits:
        points = min(TECH_MAX_POINTS, TECH_POINTS_PER_TOOL * len(fits))
        total += points
        _rule(rationale, "tech_stack", points, "uses " + ", ".join(fits))
    signals = lead.get("signals") if isinstance(lead.get("signals"), dict) else {}
    intent = _intent_points(signals)
    intent_total = min(INTENT_MAX_POINTS, sum(points for _, points, _ in intent))
    total += intent_total
    for rule, points, detail in intent:
        _rule(rationale, rule, points, detail)

    multiplier = 1.0
    if signals.get("demo_request") is True or str(signals.get("demo_request")).lower() == "true":
        multiplier *= DEMO_REQUEST_MULTIPLIER
        _rule(
            rationale,
            "multiplier.demo_request",
            0,
            f"requested a demo (×{DEMO_REQUEST_MULTIPLIER:g})",
        )
    if str(signals.get("source", "")).lower() == "referral":
        multiplier *= REFERRAL_MULTIPLIER
        _rule(rationale, "multiplier.referral", 0, f"referred lead (×{REFERRAL_MULTIPLIER:g})")
    score = min(MAX_SCORE, round(total * multiplier))

    if disqualifications:
        return IcpResult(
            0,
            Tier.DISQUALIFIED,
            rationale,
            disqualifications,
            family.key if family else "",
            industry.key if industry else "",
        )
    tier = next((t for t, threshold in TIER_THRESHOLDS if score >= threshold), None)
    cap = segment_cap(family, industry, employees)
    if tier is not None and _TIER_RANK[tier] < _TIER_RANK[cap]:
        _rule(
            rationale, "segment.cap", 0, f"score tier {tier} capped to {cap} by the segment profile"
        )
        tier = cap
    if tier is None:
        disqualifications.append(
            f"score {score} is below the contact threshold {CONTACT_THRESHOLD}"
        )
        _rule(
            rationale, "below_threshold", 0, f"score {score} < {CONTACT_THRESHOLD}: not contacted"
        )
        tier = Tier.DISQUALIFIED
    else:
        _rule(rationale, f"tier.{tier}", 0, f"score {score} meets the {tier} threshold")
    return IcpResult(
        score,
        tier,
        rationale,
        disqualifications,
        family.key if family else "",
        industry.key if industry else "",
    )
