"""The deterministic rubric: named checks run on a draft's subject, body, lead and evidence.

Each check is a plain function registered under a stable id. Its configuration is the
``RubricCheck`` row of that id only (the Head of Sales edits it in admin): enabled, severity and
parameters. The defaults live once, in ``approvals.defaults``, which the data migration loaded
into those rows. ``run_rubric`` returns one result per enabled check:
``{"id", "passed", "severity", "message"}``.

A registered check without a row, or whose row's parameters are unusable, is reported as a hard
failure rather than skipped: deleting a row must never quietly stop a compliance check (admin
offers "disabled" for that), and a half-edited parameter list must not crash the pipeline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings

from agents.choices import LEAD_TERMINAL_STATUSES
from approvals import compliance
from approvals.choices import RubricState, SentMessageStatus, Severity
from approvals.models import RubricCheck, SegmentStandard, SentMessage
from approvals.suppression import suppression_for


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    lead: object
    evidence: list

    @property
    def text(self) -> str:
        """The part of the body a human or agent wrote (the footer excluded)."""
        return compliance.strip_footer(self.body)


CheckFunc = Callable[[Draft, dict], tuple[bool, str]]
# Check id -> function, in the order the checks run; each reads its RubricCheck row's params.
REGISTRY: dict[str, CheckFunc] = {}


def check(id: str):
    def register(func: CheckFunc) -> CheckFunc:
        REGISTRY[id] = func
        return func

    return register


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def _contains_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


@check("unsubscribe_link")
def unsubscribe_link(draft: Draft, params: dict) -> tuple[bool, str]:
    email = getattr(draft.lead, "email", "") or ""
    tokens = compliance.unsubscribe_tokens_in(draft.body)
    if not tokens:
        return False, "The body has no unsubscribe link."
    if email and not any(compliance.email_from_token(t) == email.lower() for t in tokens):
        return False, "The unsubscribe link is not for this recipient."
    return True, "Unsubscribe link for the recipient is present."


@check("sender_address")
def sender_address(draft: Draft, params: dict) -> tuple[bool, str]:
    address = params.get("address") or settings.SENDER_POSTAL_ADDRESS
    if address in draft.body:
        return True, "Sender postal address is present."
    return False, "The sender's postal address is missing."


@check("no_placeholder")
def no_placeholder(draft: Draft, params: dict) -> tuple[bool, str]:
    found = compliance.PLACEHOLDER.findall(f"{draft.subject}\n{draft.body}")
    if found:
        return False, f"Unrendered placeholder: {', '.join(sorted(set(found)))}."
    return True, "No placeholders left."


@check("body_not_empty")
def body_not_empty(draft: Draft, params: dict) -> tuple[bool, str]:
    min_words = int(params["min_words"])
    words = len(draft.text.split())
    if words < min_words:
        return False, f"The body has {words} words above the footer (minimum {min_words})."
    return True, "The body has content."


@check("recipient_not_suppressed")
def recipient_not_suppressed(draft: Draft, params: dict) -> tuple[bool, str]:
    email = getattr(draft.lead, "email", "") or ""
    entry = suppression_for(email)
    if entry is not None:
        return False, f"The recipient is suppressed ({entry.get_reason_display().lower()})."
    status = getattr(draft.lead, "status", "")
    if status in LEAD_TERMINAL_STATUSES:
        return False, f"The lead is {status}; it must not be contacted."
    return True, "The recipient is not suppressed."


@check("subject_length")
def subject_length(draft: Draft, params: dict) -> tuple[bool, str]:
    limit = int(params["max_chars"])
    length = len(draft.subject)
    if length > limit:
        return False, f"The subject has {length} characters (limit {limit})."
    return True, f"The subject has {length} characters."


@check("subject_not_all_caps")
def subject_not_all_caps(draft: Draft, params: dict) -> tuple[bool, str]:
    letters = [c for c in draft.subject if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return False, "The subject is written in capitals."
    return True, "The subject is not all caps."


@check("subject_no_reply_prefix")
def subject_no_reply_prefix(draft: Draft, params: dict) -> tuple[bool, str]:
    prefixes = "|".join(re.escape(p) for p in params["prefixes"])
    if re.match(rf"\s*(?:{prefixes})\s*:", draft.subject, re.IGNORECASE) and _is_first_touch(
        draft.lead
    ):
        return False, "A first touch must not pretend to be a reply or forward."
    return True, "The subject does not fake a thread."


def _is_first_touch(lead) -> bool:
    if getattr(lead, "pk", None) is None:
        return True
    return not SentMessage.objects.filter(
        item__lead_id=lead.pk, status=SentMessageStatus.SENT
    ).exists()


@check("banned_opener")
def banned_opener(draft: Draft, params: dict) -> tuple[bool, str]:
    text = draft.text.replace("’", "'")
    hits = [p for p in params["phrases"] if _contains_phrase(text, p)]
    if hits:
        return False, f"Banned opener: {', '.join(repr(h) for h in hits)}."
    return True, "No banned opener."


@check("generic_density")
def generic_density(draft: Draft, params: dict) -> tuple[bool, str]:
    parts = sentences(draft.text.replace("’", "'"))
    if not parts:
        return True, "No sentences to judge."
    phrases = params["phrases"]
    generic = sum(1 for s in parts if any(_contains_phrase(s, p) for p in phrases))
    ratio = generic / len(parts)
    limit = float(params["max_ratio"])
    message = f"{generic} of {len(parts)} sentences are generic ({ratio:.0%}, limit {limit:.0%})."
    return ratio <= limit, message


_GUARANTEE = re.compile(r"\bguarantee[ds]?\b", re.IGNORECASE)
_GUARANTEE_QUALIFIER = re.compile(
    r"\b(?:no|not|never|cannot|can't|can not|won't|don't|without)\b(?:\W+\w+){0,2}\W*$",
    re.IGNORECASE,
)


@check("spam_words")
def spam_words(draft: Draft, params: dict) -> tuple[bool, str]:
    text = f"{draft.subject}\n{draft.text}"
    hits = [p for p in params["phrases"] if _contains_phrase(text, p)]
    for match in _GUARANTEE.finditer(text):
        # "we can't guarantee" is honest; "we guarantee results" is a spam trigger.
        if not _GUARANTEE_QUALIFIER.search(text[: match.start()]):
            hits.append(match.group(0).lower())
    if hits:
        return False, f"Spam trigger words: {', '.join(repr(h) for h in hits)}."
    return True, "No spam trigger words."


@check("no_competitor_in_subject")
def no_competitor_in_subject(draft: Draft, params: dict) -> tuple[bool, str]:
    hits = [c for c in params["competitors"] if _contains_phrase(draft.subject, c)]
    if hits:
        return False, f"Competitor named in the subject: {', '.join(hits)}."
    return True, "No competitor in the subject."


@check("single_cta")
def single_cta(draft: Draft, params: dict) -> tuple[bool, str]:
    patterns = [re.compile(p, re.IGNORECASE) for p in params["patterns"]]
    ctas = [s for s in sentences(draft.text) if any(p.search(s) for p in patterns)]
    if len(ctas) != 1:
        return False, f"Found {len(ctas)} calls to action; exactly one is expected."
    return True, "One call to action."


@check("evidence_coverage")
def evidence_coverage(draft: Draft, params: dict) -> tuple[bool, str]:
    kinds = {
        e.get("kind")
        for e in draft.evidence or []
        if isinstance(e, dict)
        and str(e.get("fact", "")).strip()
        and str(e.get("source", "")).strip()
    }
    missing = [k for k in ("company", "role") if k not in kinds]
    if missing:
        return False, f"Personalization evidence with a source is missing: {', '.join(missing)}."
    return True, "Company and role evidence, each with a source."


# A statistic: money, a percentage, a multiplier, a scaled number, or a plain number of two or
# more digits — except call lengths ("15 minutes") and years, which are not claims.
_STATISTIC = re.compile(
    r"(?P<money>\$)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?P<unit>\s?%|\s?percent\b|x\b|\s?(?:k|m|bn|million|billion)\b)?"
    r"(?P<after>\s*(?:-\s*)?(?:minutes?|mins?)\b)?",
    re.IGNORECASE,
)


def statistics_in(text: str) -> set[tuple[str, str]]:
    """Normalised (number, unit) pairs of the statistics in ``text``."""
    found = set()
    for m in _STATISTIC.finditer(text):
        if m.group("after"):
            continue
        raw = m.group("num").replace(",", "")
        unit = (m.group("unit") or "").strip().lower()
        unit = {"percent": "%"}.get(unit, unit)
        if m.group("money"):
            unit = "$" + unit
        try:
            number = Decimal(raw).normalize()
        except InvalidOperation:
            continue
        if not unit and (len(raw.split(".")[0]) < 2 or (1900 <= number <= 2100 and "." not in raw)):
            continue
        found.add((format(number, "f"), unit))
    return found


def _approved_statistics(draft: Draft) -> set[str]:
    texts: list[str] = []
    for claims in SegmentStandard.objects.filter(active=True).values_list(
        "proof_claims", flat=True
    ):
        texts.extend(str(c.get("claim", "")) for c in claims or [] if isinstance(c, dict))
    lead = draft.lead
    for name in ("employee_count", "revenue_band", "notes", "company", "title"):
        value = getattr(lead, name, None)
        if value not in (None, ""):
            texts.append(str(value))
    for name in ("signals", "tech_stack"):
        value = getattr(lead, name, None)
        if value:
            texts.append(json.dumps(value, default=str))
    texts.extend(str(e.get("fact", "")) for e in draft.evidence or [] if isinstance(e, dict))
    # Numbers are matched on their value: "38%" in the body is grounded by "38%" in a claim.
    return {number for number, _unit in statistics_in("\n".join(texts))}


@check("groundedness")
def groundedness(draft: Draft, params: dict) -> tuple[bool, str]:
    stats = statistics_in(draft.text)
    if not stats:
        return True, "No statistics in the body."
    approved = _approved_statistics(draft)
    unsupported = sorted(
        f"{'$' if unit.startswith('$') else ''}{number}{unit.lstrip('$')}"
        for number, unit in stats
        if number not in approved
    )
    if unsupported:
        return False, f"Unsupported statistics: {', '.join(unsupported)}."
    return True, "Every statistic is grounded."


def _unconfigured(key: str, why: str) -> dict:
    return {
        "id": key,
        "passed": False,
        "severity": Severity.HARD.value,
        "message": f"The check is not configured: {why}.",
    }


def run_rubric(subject: str, body: str, lead, evidence: Iterable[dict] = ()) -> list[dict]:
    """Run every enabled check; one ``{"id", "passed", "severity", "message"}`` per check."""
    draft = Draft(subject=subject or "", body=body or "", lead=lead, evidence=list(evidence or []))
    rows = {row.key: row for row in RubricCheck.objects.all()}
    results = []
    for key, func in REGISTRY.items():
        row = rows.get(key)
        if row is None:
            results.append(_unconfigured(key, "its RubricCheck row is missing (restore it)"))
            continue
        if not row.enabled:
            continue
        problems = row.params_problems()
        if problems:
            results.append(_unconfigured(key, "; ".join(problems)))
            continue
        passed, message = func(draft, row.params)
        results.append(
            {"id": key, "passed": bool(passed), "severity": str(row.severity), "message": message}
        )
    return results


def hard_failures(results: list[dict]) -> list[dict]:
    return [r for r in results if not r["passed"] and r["severity"] == Severity.HARD]


def rubric_state(results: list[dict]) -> RubricState:
    if hard_failures(results):
        return RubricState.HARD_FAIL
    if any(not r["passed"] for r in results):
        return RubricState.SOFT_FLAGS
    return RubricState.ALL_PASS
