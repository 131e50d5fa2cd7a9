"""Golden Set v2 from production misses: rejected or edited drafts become draft golden cases.

``promote_queue_items`` snapshots the lead as the case input, derives a negative constraint
from why the Head of Sales rejected (or what she removed while editing), links the case to the
queue item and holds its traces. The case starts inactive; ``activate_cases`` turns reviewed
drafts on. Both are the only entry points the admin actions call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from approvals.choices import QueueItemKind, QueueStatus
from approvals.models import RubricCheck
from evaluation.choices import AssertionType, CaseCategory, CaseSource, Severity
from evaluation.golden_io import AGENTS
from evaluation.models import GoldenCase, GoldenSet
from traces.retention import hold

PRODUCTION_MISSES_SET = "production-misses"
MAX_REMOVED_SENTENCES = 3
_PLACEHOLDER = r"\{\{.*?\}\}|\[[A-Z][A-Z_]{2,}\]"


@dataclass
class PromotionResult:
    created: list[GoldenCase] = field(default_factory=list)
    skipped: list[tuple[object, str]] = field(default_factory=list)


def _descriptive(text: str) -> dict:
    return {"type": AssertionType.DESCRIPTIVE.value, "description": text}


def negative_constraints_for(item) -> list[dict]:
    """What the agent must not do again, derived from the rejection category or the edit."""
    constraints: list[dict] = []
    category = item.rejection_category.key if item.rejection_category_id else ""
    reason = (item.rejection_reason or "").strip()
    if category == "placeholder_or_rendering_issue":
        constraints.append({"type": "not_regex", "value": _PLACEHOLDER})
    elif category == "tone_style_issue" and (openers := _rubric_phrases("banned_opener")):
        constraints.append({"type": "not_regex", "value": f"(?i){openers}"})
    elif category == "compliance_issue":
        # The rubric's spam phrases, plus "guarantee" (the rubric allows only a negated one).
        spam = "|".join(filter(None, [_rubric_phrases("spam_words"), r"guarantee[ds]?"]))
        constraints.append({"type": "not_regex", "value": rf"(?i)\b(?:{spam})\b"})
        constraints.append({"type": "regex", "value": r"(?i)unsubscribe"})
    elif category == "length_issue" and item.body:
        constraints.append({"type": "max_length", "value": max(len(item.body) - 1, 0)})
    elif category == "weak_subject" and item.subject:
        constraints.append({"type": "not_contains", "value": item.subject})
    if category:
        label = item.rejection_category.name
        constraints.append(_descriptive(f"Rejected as {label}" + (f": {reason}" if reason else "")))
    if item.was_edited:
        removed = removed_sentences(item.original_body, item.body)
        constraints.extend(
            {"type": "not_contains", "value": s, "description": "removed by the Head of Sales"}
            for s in removed[:MAX_REMOVED_SENTENCES]
        )
        if not removed:
            constraints.append(_descriptive("Approved with edits: the draft needed rewording"))
    return constraints


def _rubric_phrases(check_key: str) -> str:
    """The phrases the Head of Sales bans in that rubric check now, as a regex alternation."""
    params = RubricCheck.objects.filter(key=check_key).values_list("params", flat=True).first()
    phrases = params.get("phrases") if isinstance(params, dict) else None
    return "|".join(re.escape(p).replace("\\ ", " ") for p in phrases or [] if isinstance(p, str))


def removed_sentences(original: str, final: str) -> list[str]:
    """Sentences of the agent's draft that the approved version no longer contains."""
    sentences = re.split(r"(?<=[.!?])\s+|\n+", original or "")
    return [s.strip() for s in sentences if len(s.strip()) >= 12 and s.strip() not in final]


def _snapshot(item) -> dict:
    lead = item.lead
    case_input: dict = {"lead": lead.facts()}
    payload = item.payload or {}
    # A call-prep item carries its brief; the brief names the meeting it was prepared for.
    meeting = payload.get("meeting") if isinstance(payload.get("meeting"), dict) else {}
    meeting_at = meeting.get("at") or payload.get("meeting_at")
    if meeting_at:
        case_input["meeting"] = {"at": str(meeting_at), "notes": ""}
    return case_input


def _production_misses() -> GoldenSet:
    golden_set, _ = GoldenSet.objects.get_or_create(
        name=PRODUCTION_MISSES_SET,
        version=1,
        defaults={"description": "Draft cases promoted from rejected or edited queue items."},
    )
    return golden_set


def promote_queue_items(items: Iterable) -> PromotionResult:
    """Create one inactive draft GoldenCase per rejected or edited queue item.

    Items neither rejected nor edited, and items already promoted, are skipped with a reason.
    """
    result = PromotionResult()
    golden_set = _production_misses()
    for item in items:
        source_ref = f"queue_item:{item.pk}"
        if item.status != QueueStatus.REJECTED and not item.was_edited:
            result.skipped.append((item, "neither rejected nor edited"))
            continue
        if GoldenCase.objects.filter(source_ref=source_ref).exists():
            result.skipped.append((item, "already promoted"))
            continue
        agent = item.agent if item.agent in AGENTS else ""
        if not agent:
            agent = "call_prep" if item.kind == QueueItemKind.CALL_PREP else "draft_email"
        category_key = item.rejection_category.key if item.rejection_category_id else "edited"
        with transaction.atomic():
            case = GoldenCase.objects.create(
                golden_set=golden_set,
                case_id=f"QI_{item.pk}",
                category=CaseCategory.EDGE,
                severity=Severity.CRITICAL
                if category_key == "compliance_issue"
                else Severity.MAJOR,
                agent=agent,
                input=_snapshot(item),
                expected_tools=[],
                positive_constraints=[],
                negative_constraints=negative_constraints_for(item),
                tags=["production_miss", category_key],
                source=CaseSource.QUEUE_ITEM,
                source_ref=source_ref,
                active=False,
            )
            if item.correlation_id:
                hold(correlation_id=item.correlation_id, holder=case, reason="golden case source")
        result.created.append(case)
    return result


def activate_cases(cases: Iterable[GoldenCase], *, reviewer) -> int:
    """Turn reviewed draft cases on (recording who and when); returns how many changed.

    The conditional UPDATE claims only drafts, so activating twice changes nothing.
    """
    pks = [case.pk for case in cases]
    return GoldenCase.objects.filter(pk__in=pks, active=False).update(
        active=True, reviewed_by=reviewer, reviewed_at=timezone.now()
    )
