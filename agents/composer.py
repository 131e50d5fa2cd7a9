"""Text generation behind one provider interface; the default is a deterministic template composer.

A provider turns a request (the lead's facts, the segment standard read through
``knowledge.read_standards``, personalization evidence with sources, and what to avoid) into
an email or a call brief. ``TemplateComposer`` — what tests and the replay gate use — writes
only from those inputs:

- the angle, hook, value proposition and call to action come from the segment standard;
- the one statistic is an approved proof claim, quoted verbatim;
- company and role sentences come from evidence items, each carrying its source;
- lead notes are data: they are matched against a fixed pain vocabulary and never copied into
  the message or followed as instructions.

An LLM provider implements the same two methods and registers in ``PROVIDERS``; callers stay
unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Protocol

# Lead-note phrases we recognise as a pain; the label is what the draft may say.
PAIN_VOCABULARY: tuple[tuple[str, str], ...] = (
    (r"\bdeal velocity\b|\bslow deals?\b|\bsales cycles?\b", "slow deal velocity"),
    (r"\bproposals?\b", "proposal writing eats senior time"),
    (r"\b(?:account )?research\b", "reps spend hours on account research"),
    (r"\bdata entry\b|\bretyp\w*|\bmanual entry\b", "manual data entry across systems"),
    (r"\bquot(?:e|es|ing)\b", "slow quote turnaround"),
    (r"\binbound\b|\bresponse time\b|\bspeed to lead\b", "slow response to inbound requests"),
    (r"\bbacklog\b|\bintake\b|\bonboarding\b", "an intake and onboarding backlog"),
    (r"\bhiring\b|\bheadcount\b|\bnew hires\b", "a growing team to ramp"),
    (r"\bforecast\w*\b", "forecast accuracy"),
    (r"\bcompliance\b|\bsecurity review\b", "compliance review of outbound messaging"),
)

# Text in notes that tries to steer the agent. Flagged, never obeyed.
INSTRUCTION_PATTERNS = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above) instructions|disregard (?:the |all )?"
    r"(?:rules|instructions)|system prompt|you are now|act as|(?:send|email) (?:it|this|them)?"
    r"\s*(?:now|immediately)|mark (?:it |this )?as sent|say (?:it|that it) (?:was|has been) sent|"
    r"bypass (?:the )?approval|skip (?:the )?(?:approval|review)",
    re.IGNORECASE,
)


def pains_in(text: str) -> list[str]:
    """Pain labels found in free text (notes), in vocabulary order, without duplicates."""
    found = []
    for pattern, label in PAIN_VOCABULARY:
        if re.search(pattern, text or "", re.IGNORECASE) and label not in found:
            found.append(label)
    return found


def instructions_in(text: str) -> list[str]:
    """Instruction-like fragments in data (prompt injection attempts)."""
    return [m.group(0) for m in INSTRUCTION_PATTERNS.finditer(text or "")]


def stems(text: str) -> set[str]:
    """Five-letter stems of the words longer than three letters ("agencies" ~ "agency")."""
    return {w[:5] for w in re.findall(r"[a-z]+", (text or "").lower()) if len(w) > 3}


def stable_index(seed: str, size: int) -> int:
    """A deterministic choice in ``range(size)`` for ``seed`` (same lead → same pick)."""
    if size <= 0:
        return 0
    return int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % size


@dataclass
class EmailRequest:
    lead: dict  # first_name, company, title, email, …
    tier: str
    standard: dict  # knowledge.read_standards result
    evidence: list[dict]  # {"kind", "fact", "source"}
    pains: list[str] = field(default_factory=list)
    avoid_angles: set[str] = field(default_factory=set)
    avoid_subjects: set[str] = field(default_factory=set)
    avoid_claims: set[str] = field(default_factory=set)
    feedback: str = ""
    feedback_category: str = ""
    sender_name: str = "CAIO Sales"


@dataclass
class ComposedEmail:
    subject: str
    body: str  # without the compliance footer
    angle: str
    proof_claim_id: str
    evidence: list[dict]


@dataclass
class BriefRequest:
    lead: dict
    tier: str
    standard: dict
    company_facts: list[dict]
    person_facts: list[dict]
    pains: list[dict]  # {"point", "source"}
    meeting: dict  # {"at", "title", "in_calendar"}


class TextProvider(Protocol):
    name: str

    def compose_email(self, request: EmailRequest) -> ComposedEmail: ...

    def compose_brief(self, request: BriefRequest) -> dict: ...


def _fill(template: str, values: dict) -> str | None:
    """``template`` with ``{name}`` placeholders filled; None if any value is missing."""
    missing = False

    def sub(match):
        nonlocal missing
        value = values.get(match.group(1))
        if not value:
            missing = True
            return ""
        return str(value)

    filled = re.sub(r"\{([a-z_]+)\}", sub, template)
    return None if missing else filled


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _forbidden(text: str, standard: dict) -> bool:
    lowered = text.lower()
    terms = [*standard.get("forbidden_phrases", []), *standard.get("forbidden_claims", [])]
    return any(term and term.lower() in lowered for term in terms)


def _topic(angle: dict) -> set[str]:
    return stems(" ".join(str(angle.get(k, "")) for k in ("label", "hook", "value_prop")))


class TemplateComposer:
    """Deterministic composer driven by the segment standards (no model, no randomness)."""

    name = "template"

    def compose_email(self, request: EmailRequest) -> ComposedEmail:
        standard, lead = request.standard, request.lead
        seed = f"{lead.get('email', '')}:{request.tier}"
        angle = self._angle(standard.get("angles") or [], request.avoid_angles, seed)
        values = {
            "company": lead.get("company"),
            "first_name": lead.get("first_name"),
            "title": lead.get("title"),
        }
        subject = self._subject(standard, angle, values, request.avoid_subjects, seed)
        claim = self._proof_claim(standard, lead, angle, request.avoid_claims, seed)
        company = next((e for e in request.evidence if e["kind"] == "company"), None)
        role = next((e for e in request.evidence if e["kind"] == "role"), None)

        paragraphs = [f"Hi {lead['first_name']}," if lead.get("first_name") else "Hi there,"]
        opening = []
        if company:
            opening.append(_sentence(company["fact"]))
        if request.pains:
            opening.append(f"You mentioned {request.pains[0]}, which is where we help first.")
        elif angle.get("hook"):
            opening.append(_sentence(angle["hook"]))
        paragraphs.append(" ".join(opening))
        compact = request.feedback_category == "length_issue"
        if role and not compact:
            paragraphs.append(_sentence(role["fact"]))
        if angle.get("value_prop") and not compact:
            paragraphs.append(_sentence(angle["value_prop"]))
        if claim:
            paragraphs.append(_sentence(claim["claim"]))
        paragraphs.append(_sentence(angle.get("cta") or "Open to a short call next week?"))
        paragraphs.append(request.sender_name)
        # A standard's forbidden phrase never reaches the draft, whatever its source.
        kept = [p for p in paragraphs if p.strip() and not _forbidden(p, standard)]
        return ComposedEmail(
            subject=subject,
            body="\n\n".join(kept),
            angle=angle.get("key", ""),
            proof_claim_id=claim.get("id", "") if claim else "",
            evidence=[e for e in request.evidence if e.get("fact") and e.get("source")],
        )

    def _angle(self, angles: list[dict], avoid: set[str], seed: str) -> dict:
        usable = [a for a in angles if a.get("key") not in avoid] or angles
        if not usable:
            return {"key": "default", "label": "Intro", "hook": "", "value_prop": "", "cta": ""}
        return usable[stable_index(seed, len(usable))]

    def _subject(self, standard, angle, values, avoid: set[str], seed: str) -> str:
        candidates = []
        for template in standard.get("subject_exemplars") or []:
            filled = _fill(template, values)
            if filled and len(filled) <= 60 and filled not in avoid:
                candidates.append((template, filled))
        company = values.get("company") or "your team"
        if not candidates:
            for subject in (
                f"{angle.get('label') or 'An idea'} at {company}",
                f"Idea for {company}",
            ):
                if subject[:60] not in avoid:
                    return subject[:60]
            return f"{angle.get('label') or 'A note'} for {company}"[:60]
        # The exemplar that talks about the same thing as the angle; ties broken stably.
        topic = _topic(angle)
        top = max(len(stems(t) & topic) for t, _ in candidates)
        best = [filled for t, filled in candidates if len(stems(t) & topic) == top]
        return best[stable_index(seed + angle.get("key", ""), len(best))]

    def _proof_claim(self, standard, lead, angle, avoid: set[str], seed: str) -> dict | None:
        claims = [c for c in standard.get("proof_claims") or [] if c.get("claim")]
        usable = [c for c in claims if c.get("id") not in avoid] or claims
        if not usable:
            return None
        # Prefer the claim about the lead's own industry, then the one closest to the angle.
        industry = stems(lead.get("industry") or "")
        topic = _topic(angle)

        def relevance(claim):
            words = stems(claim["claim"])
            return 2 * len(industry & words) + len(topic & words)

        top = max(relevance(c) for c in usable)
        best = [c for c in usable if relevance(c) == top]
        return best[stable_index(seed, len(best))]

    def compose_brief(self, request: BriefRequest) -> dict:
        lead, standard = request.lead, request.standard
        name = " ".join(x for x in (lead.get("first_name"), lead.get("last_name")) if x)
        name = name or lead.get("email") or "the contact"
        who = f"{name}, {lead['title']}" if lead.get("title") else name
        company = lead.get("company") or "their company"
        summary = f"Meeting with {who} at {company}"
        if lead.get("industry") or lead.get("employee_count"):
            size = f"{lead['employee_count']}-person " if lead.get("employee_count") else ""
            summary += f" ({size}{lead.get('industry') or 'company'})"
        summary += "."
        facts = [f["fact"] for f in request.company_facts[:2]]
        if facts:
            summary += " " + " ".join(_sentence(f) for f in facts)
        angles = standard.get("angles") or []
        pains = list(request.pains)
        for angle in angles:  # the segment's known pains pad the list, marked as generic
            if len(pains) >= 2:
                break
            if angle.get("hook"):
                source = f"{standard.get('id', 'standard')} (segment)"
                pains.append({"point": angle["hook"], "source": source})
        objections = [
            {"objection": o["objection"], "response": o["response"]}
            for o in (standard.get("objection_library") or [])[:3]
        ]
        angle = (
            angles[stable_index(f"{lead.get('email', '')}:brief", len(angles))] if angles else {}
        )
        claim = next(iter(standard.get("proof_claims") or []), None)
        approach = (
            f"Open on {request.pains[0]['point']}" if request.pains else "Open with discovery"
        )
        if angle:
            approach += f"; lead with the '{angle['label']}' angle: {angle['value_prop']}"
        if claim:
            approach += f" Proof point: {claim['claim']} ({claim.get('source', '')})."
        return {
            "summary": summary,
            "pain_points": pains,
            "objections": objections,
            "recommended_approach": approach.strip(),
            "meeting": request.meeting,
            "sources": sorted(
                {f["source"] for f in [*request.company_facts, *request.person_facts]}
                | {p["source"] for p in request.pains}
            ),
        }


PROVIDERS: dict[str, type] = {"template": TemplateComposer}


def get_provider(name: str = "template") -> TextProvider:
    return PROVIDERS[name]()
