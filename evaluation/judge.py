"""The deterministic judge: four 1-5 scores with reasons, constraint lists, pass/fail.

Scores (each with the reason it was given):

- tool selection — exact tool names. 5: exactly the expected set; 4: all expected plus one
  unexpected; 3: all expected plus two or more unexpected; 2: some expected tool missing;
  1: none of the expected tools called (a required tool skipped is a failure, not a nuance).
- groundedness — every claim-bearing token of the output (numbers, percentages, money, dates,
  times, multipliers, capitalised names) must be found in what the tools returned or in the
  approved knowledge (segment standards' proof claims, the sender's postal address). A number
  nobody returned is an invented fact: one makes the score 2, two make it 1. Unsupported names
  cost one point each (≥ 3 → 2, ≥ 5 → 1). An output of a case that expects tools but retrieved
  no context at all is ungrounded by definition (1).
- completeness — share of machine-checkable positive constraints met (1.0 → 5, ≥ .75 → 4,
  ≥ .5 → 3, ≥ .25 → 2, else 1; none to check → 5).
- consistency — word-sequence similarity to the baseline run's output for the same case
  (≥ .9 → 5, ≥ .75 → 4, ≥ .5 → 3, ≥ .25 → 2, else 1; no baseline → 4).

Auto-fail: tool selection ≤ 2, groundedness ≤ 2, or any violated negative constraint.
Otherwise the case passes when the mean of the four scores is ≥ 4.0. Both bars are
``evaluation.gate``'s (``AUTO_FAIL_AT``, ``PASS_MARK``).
"""

from __future__ import annotations

import calendar
import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluation.assertions import evaluate
from evaluation.cases import CaseSpec, RunnerOutput
from evaluation.gate import AUTO_FAIL_AT, PASS_MARK

NO_BASELINE_CONSISTENCY = 4
RUBRIC_KEYS = ("tool_selection_accuracy", "groundedness", "completeness", "reliability_consistency")

# Links, addresses and record references ("lead:12", "queue_item:7") identify, never claim.
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[a-z_]+:\d+\b")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMERIC = re.compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    rf"|(?P<mdate>\b(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?)"
    rf"|(?P<dmdate>\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_RE})\b\.?(?:,?\s+\d{{4}})?)"
    r"|(?P<time>\b\d{1,2}:\d{2}\b)"
    rf"|(?P<money>[$€£]\s?{_NUM}\s?(?:[kKmMbB]\b|million\b|billion\b)?)"
    r"|(?P<percent>(?<![\w.])\d+(?:\.\d+)?\s?(?:%|percent\b))"
    r"|(?P<multiplier>(?<![\w.])\d+(?:\.\d+)?x\b)"
    rf"|(?P<number>(?<![\w.]){_NUM}(?![\w]))",
    re.IGNORECASE,
)
_CORPUS_NUMBER = re.compile(_NUM)
_CORPUS_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b)", re.IGNORECASE)
_CORPUS_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_NAME = re.compile(r"\b[A-Z][\w&'’-]*(?:[ \t]+(?:&[ \t]+)?[A-Z][\w&'’-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"“(]\s*|^\s*[-*•]\s*)$")
# Capitalised words that carry no claim: greetings, sign-offs, labels, days and months.
_NOT_NAMES = frozenset(
    [
        "i",
        "i'm",
        "i'd",
        "i've",
        "i'll",
        "hi",
        "hello",
        "hey",
        "dear",
        "best",
        "regards",
        "thanks",
        "thank",
        "cheers",
        "sincerely",
        "subject",
        "re",
        "fwd",
        "tier",
        "icp",
        "cta",
        "faq",
        "ps",
        "p.s",
        "ok",
        "yes",
        "no",
        "not",
        "none",
        "n/a",
        "unknown",
        "the",
        "a",
        "an",
        "we",
        "our",
        "you",
        "your",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tomorrow",
        "am",
        "pm",
        "utc",
    ]
)


@dataclass(frozen=True)
class Claim:
    text: str
    kind: str  # number, percent, money, date, time, multiplier, name

    @property
    def numeric(self) -> bool:
        return self.kind != "name"


@dataclass
class Verdict:
    """The judge's output for one case; ``as_schema()`` is the SME judge schema shape."""

    scores: dict[str, int]
    reasons: dict[str, str]
    missing_tools: list[str]
    unexpected_tools: list[str]
    positives_met: list[str]
    positives_missed: list[str]
    negatives_violated: list[str]
    unchecked: list[str]
    unsupported_claims: list[str]
    grounding_notes: str
    auto_fail_reasons: list[str] = field(default_factory=list)

    @property
    def overall_score(self) -> float:
        return round(sum(self.scores.values()) / len(self.scores), 2)

    @property
    def passed(self) -> bool:
        return not self.auto_fail_reasons and self.overall_score >= PASS_MARK

    @property
    def final_verdict(self) -> str:
        if self.auto_fail_reasons:
            return "FAIL (auto-fail): " + "; ".join(self.auto_fail_reasons)
        if not self.passed:
            return f"FAIL: mean score {self.overall_score:.2f} < {PASS_MARK}"
        return f"PASS: mean score {self.overall_score:.2f} ≥ {PASS_MARK}"

    def as_schema(self) -> dict[str, Any]:
        notes = self.grounding_notes
        if self.unchecked:
            notes += " Not machine-checkable (reported, not judged): " + "; ".join(self.unchecked)
        return {
            "overall_score": self.overall_score,
            "pass": self.passed,
            "rubric": {
                key: {"score": self.scores[key], "reason": self.reasons[key]} for key in RUBRIC_KEYS
            },
            "expected_tools_evaluation": {
                "missing_tools": self.missing_tools,
                "unexpected_tools": self.unexpected_tools,
                "tool_match_summary": self.reasons["tool_selection_accuracy"],
            },
            "constraints_evaluation": {
                "positive_constraints_met": self.positives_met,
                "positive_constraints_missed": self.positives_missed,
                "negative_constraints_violated": self.negatives_violated,
            },
            "hallucination_check": {
                "unsupported_claims": self.unsupported_claims,
                "notes": notes.strip(),
            },
            "final_verdict": self.final_verdict,
        }


# --- tool selection ----------------------------------------------------------------------------
def score_tools(expected: Sequence[str], actual: Sequence[str]) -> tuple[int, str, list, list]:
    expected_set, actual_set = list(dict.fromkeys(expected)), list(dict.fromkeys(actual))
    missing = [t for t in expected_set if t not in actual_set]
    unexpected = [t for t in actual_set if t not in expected_set]
    called = len(expected_set) - len(missing)
    if missing:
        score = 1 if called == 0 else 2
        reason = f"{called}/{len(expected_set)} expected tools called; missing {', '.join(missing)}"
    elif not unexpected:
        score = 5
        reason = (
            f"exactly the {len(expected_set)} expected tools"
            if expected_set
            else "no tools expected and none called"
        )
    else:
        score = 4 if len(unexpected) == 1 else 3
        reason = f"all expected tools called, plus unexpected {', '.join(unexpected)}"
    if missing and unexpected:
        reason += f"; unexpected {', '.join(unexpected)}"
    return score, reason, missing, unexpected


# --- groundedness ------------------------------------------------------------------------------
def extract_claims(text: str) -> list[Claim]:
    """Claim-bearing tokens of ``text``: numbers, percentages, money, dates, times, names."""
    text = _URL.sub(" ", text or "")
    claims: list[Claim] = []
    for match in _NUMERIC.finditer(text):
        kind = match.lastgroup
        token = match.group(0).strip()
        if kind in ("iso", "mdate", "dmdate"):
            kind = "date"
        if kind == "number":
            value = float(token.replace(",", ""))
            # Small bare counts ("2 pain points", "Tier 1") are structure, not facts.
            if value < 10 and "." not in token:
                continue
        claims.append(Claim(token, kind))
    numeric_spans = [m.span() for m in _NUMERIC.finditer(text)]
    for match in _NAME.finditer(text):
        if any(start <= match.start() < end for start, end in numeric_spans):
            continue
        words = match.group(0).split()
        if _SENTENCE_START.search(text[: match.start()]):
            words = words[1:]
        words = [w for w in words if w.lower().strip("'’") not in _NOT_NAMES and w != "&"]
        words = [w for w in words if not (w.isupper() and len(w) <= 5)]  # acronyms: CEO, B2B
        words = [w for w in words if w.lower() not in _MONTHS]
        if words:
            claims.append(Claim(" ".join(words), "name"))
    return list(dict.fromkeys(claims))


class Corpus:
    """What the output may draw on: retrieved context plus approved knowledge, indexed once."""

    def __init__(self, chunks: Iterable[Any]):
        parts = [c if isinstance(c, str) else json.dumps(c, default=str) for c in chunks]
        self.text = "\n".join(parts)
        self.lower = self.text.lower()
        self.words = set(re.findall(r"[\w'’-]+", self.lower))
        self.words |= {w for word in list(self.words) for w in re.split(r"[-_'’]", word) if w}
        self.numbers = {_norm_number(n) for n in _CORPUS_NUMBER.findall(self.text)}
        self.percents = {_norm_number(n) for n in _CORPUS_PERCENT.findall(self.text)}
        self.dates: set[tuple[int, int]] = set()
        self.times: set[str] = set()
        for _year, month, day, hour, minute in _CORPUS_ISO.findall(self.text):
            self.dates.add((int(month), int(day)))
            if hour:
                self.times.add(f"{int(hour)}:{minute}")
        for match in _NUMERIC.finditer(self.text):
            if match.lastgroup in ("mdate", "dmdate"):
                parsed = _month_day(match.group(0))
                if parsed:
                    self.dates.add(parsed)
            elif match.lastgroup == "time":
                hour, minute = match.group(0).split(":")
                self.times.add(f"{int(hour)}:{minute}")

    def __or__(self, other: Corpus) -> Corpus:
        """Both corpora in one (the approved knowledge is indexed once per replay, not per case)."""
        merged = Corpus(())
        merged.text = f"{self.text}\n{other.text}"
        merged.lower = f"{self.lower}\n{other.lower}"
        for name in ("words", "numbers", "percents", "dates", "times"):
            setattr(merged, name, getattr(self, name) | getattr(other, name))
        return merged

    def supports(self, claim: Claim) -> bool:
        token = claim.text
        if claim.kind == "name":
            if re.search(r"(?<!\w)" + re.escape(token.lower()) + r"(?!\w)", self.lower):
                return True
            parts = [p for p in re.split(r"[\s&]+", token.lower().strip("'’")) if p]
            return all(p.strip("'’") in self.words for p in parts)
        if claim.kind == "date":
            iso = _CORPUS_ISO.match(token)
            if iso:
                return (int(iso.group(2)), int(iso.group(3))) in self.dates
            return _month_day(token) in self.dates
        if claim.kind == "time":
            hour, minute = token.split(":")
            return f"{int(hour)}:{minute}" in self.times
        number = _norm_number(re.search(_NUM, token).group(0))
        if claim.kind == "percent":
            return number in self.percents
        return number in self.numbers


def _norm_number(token: str) -> str:
    token = token.replace(",", "")
    if "." in token:
        token = token.rstrip("0").rstrip(".")
    return token.lstrip("0") or "0"


def _month_day(token: str) -> tuple[int, int] | None:
    month = next((m for name, m in _MONTHS.items() if re.search(rf"\b{name}\b", token.lower())), 0)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", token)
    if not month or not day:
        return None
    return month, int(day.group(1))


def score_groundedness(
    case: CaseSpec,
    result: RunnerOutput,
    knowledge: Sequence[str] | Corpus,
    structured_values: set[str],
) -> tuple[int, str, list[str]]:
    claims = extract_claims(result.actual_output)
    if case.expected_tools and not result.rag_context_chunks and result.actual_output.strip():
        unsupported = [c.text for c in claims]
        return 1, "no retrieved context: nothing the output states is grounded", unsupported
    known = knowledge if isinstance(knowledge, Corpus) else Corpus(knowledge)
    corpus = Corpus(result.rag_context_chunks) | known
    unsupported = [
        c
        for c in claims
        if not corpus.supports(c) and not (c.numeric and _is_own_result(c, structured_values))
    ]
    numeric = [c for c in unsupported if c.numeric]
    total = len(unsupported)
    if len(numeric) >= 2 or total >= 5:
        score = 1
    elif numeric or total >= 3:
        score = 2
    else:
        score = 5 - total
    if unsupported:
        reason = f"{total} of {len(claims)} claims unsupported by retrieved context" + (
            f" ({len(numeric)} numeric: an invented figure)" if numeric else ""
        )
    else:
        reason = f"all {len(claims)} claims found in retrieved context or approved knowledge"
    return score, reason, [c.text for c in unsupported]


def _is_own_result(claim: Claim, structured_values: set[str]) -> bool:
    """The agent's own computed results (ICP score, confidence) are not claims about the world."""
    match = re.search(_NUM, claim.text)
    return bool(match) and _norm_number(match.group(0)) in structured_values


def _scalar_numbers(structured: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(structured, dict):
        for value in structured.values():
            found |= _scalar_numbers(value)
    elif isinstance(structured, bool):
        return found
    elif isinstance(structured, int | float):
        found.add(_norm_number(repr(float(structured)) if structured % 1 else str(int(structured))))
        if isinstance(structured, float) and 0 < structured <= 1:
            found.add(_norm_number(str(round(structured * 100))))  # 0.82 shown as 82%
    return found


# --- completeness and consistency --------------------------------------------------------------
def _band(share: float) -> int:
    if share >= 1.0:
        return 5
    if share >= 0.75:
        return 4
    if share >= 0.5:
        return 3
    if share >= 0.25:
        return 2
    return 1


def score_consistency(output: str, baseline_output: str | None) -> tuple[int, str]:
    if baseline_output is None:
        return NO_BASELINE_CONSISTENCY, "no baseline output to compare with"
    a, b = output.split(), baseline_output.split()
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if (a or b) else 1.0
    if ratio >= 0.9:
        score = 5
    else:
        score = 4 if ratio >= 0.75 else 3 if ratio >= 0.5 else 2 if ratio >= 0.25 else 1
    return score, f"similarity to baseline output {ratio:.2f}"


# --- the verdict -------------------------------------------------------------------------------
def judge_case(
    case: CaseSpec,
    result: RunnerOutput,
    *,
    baseline_output: str | None = None,
    knowledge: Sequence[str] | Corpus = (),
) -> Verdict:
    """Judge one runner output against its case. Deterministic: same inputs, same verdict."""
    if result.is_error:
        return _runner_error_verdict(case, result)
    tools = list(result.tool_trace_log)
    output = result.actual_output or ""
    tool_score, tool_reason, missing, unexpected = score_tools(case.expected_tools, tools)

    met, missed, violated, unchecked = [], [], [], []
    for assertion in case.positive_constraints:
        outcome = evaluate(assertion, output=output, structured=result.structured, tools=tools)
        if outcome.holds is None:
            unchecked.append(outcome.label)
        else:
            (met if outcome.holds else missed).append(outcome.label)
    for assertion in case.negative_constraints:
        outcome = evaluate(assertion, output=output, structured=result.structured, tools=tools)
        if outcome.holds is None:
            unchecked.append(outcome.label)
        elif not outcome.holds:
            violated.append(outcome.label + (f": {outcome.detail}" if outcome.detail else ""))
    checkable = len(met) + len(missed)
    if checkable:
        completeness = _band(len(met) / checkable)
        completeness_reason = f"{len(met)}/{checkable} positive constraints met"
    else:
        completeness, completeness_reason = 5, "no machine-checkable positive constraints"

    ground_score, ground_reason, unsupported = score_groundedness(
        case, result, knowledge, _scalar_numbers(result.structured)
    )
    consistency, consistency_reason = score_consistency(output, baseline_output)

    auto_fail = []
    if tool_score <= AUTO_FAIL_AT:
        auto_fail.append(f"tool selection {tool_score} ≤ {AUTO_FAIL_AT}")
    if ground_score <= AUTO_FAIL_AT:
        auto_fail.append(f"groundedness {ground_score} ≤ {AUTO_FAIL_AT}")
    if violated:
        auto_fail.append(f"negative constraint violated: {'; '.join(violated)}")
    return Verdict(
        scores={
            "tool_selection_accuracy": tool_score,
            "groundedness": ground_score,
            "completeness": completeness,
            "reliability_consistency": consistency,
        },
        reasons={
            "tool_selection_accuracy": tool_reason,
            "groundedness": ground_reason,
            "completeness": completeness_reason,
            "reliability_consistency": consistency_reason,
        },
        missing_tools=missing,
        unexpected_tools=unexpected,
        positives_met=met,
        positives_missed=missed,
        negatives_violated=violated,
        unchecked=unchecked,
        unsupported_claims=unsupported,
        grounding_notes=ground_reason + ".",
        auto_fail_reasons=auto_fail,
    )


def _runner_error_verdict(case: CaseSpec, result: RunnerOutput) -> Verdict:
    reason = f"runner error {result.error_code}: {result.error}"
    # Nothing ran, so nothing was met: every score is the floor and the case fails.
    return Verdict(
        scores=dict.fromkeys(RUBRIC_KEYS, 1),
        reasons=dict.fromkeys(RUBRIC_KEYS, reason),
        missing_tools=list(dict.fromkeys(case.expected_tools)),
        unexpected_tools=[],
        positives_met=[],
        positives_missed=[],
        negatives_violated=[],
        unchecked=[],
        unsupported_claims=[],
        grounding_notes="The runner produced no output to check.",
        auto_fail_reasons=[reason],
    )
