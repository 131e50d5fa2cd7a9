"""Reading and writing golden set files: the seed's v1 array and our v2 document.

v1 (the seed, ``caio_alpha_golden_set_v1.json``): a JSON array of ``{id, input_query,
expected_tools, positive_constraints, negative_constraints}`` with free-text constraints.
Positive phrases become ``icontains`` assertions; negative sentences ("Do not claim …") are
kept as ``descriptive`` assertions the judge reports as not machine-checkable.

v2 (ours)::

    {"schema_version": 2, "name": "caio-core", "version": 1, "description": "…",
     "cases": [{"id", "category", "severity", "agent", "input", "expected_tools",
                "positive_constraints": [{"type": "icontains", "value": "tier_1"}, …],
                "negative_constraints": [{"type": "not_contains", "value": "…"}, …],
                "tags", "source", "active"}]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from evaluation.assertions import AssertionSpecError, validate_assertion
from evaluation.cases import CaseSpec
from evaluation.choices import AssertionType, CaseCategory, CaseSource, Severity
from evaluation.models import GoldenCase, GoldenSet

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
# Our committed golden set; `manage.py replay` uses it when no set is named.
DEFAULT_GOLDEN_SET = "caio-gtm"
DEFAULT_GOLDEN_SET_PATH = GOLDEN_DIR / "caio_gtm_v2.json"
AGENTS = ("qualify", "draft_email", "call_prep", "pipeline_scan", "send_pipeline")
_V1_CATEGORY_PREFIXES = {
    "CORE": CaseCategory.CORE,
    "EDGE": CaseCategory.EDGE,
    "MULTI": CaseCategory.MULTI,
}


class GoldenSetFormatError(ValueError):
    """The file is not a valid v1 or v2 golden set; the message says where and why."""


@dataclass
class GoldenSetFile:
    name: str
    version: int
    schema_version: int
    description: str = ""
    cases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name}@v{self.version}"

    def specs(self) -> list[CaseSpec]:
        """Active cases as the gate runs them (nothing stored)."""
        return [
            CaseSpec(
                case_id=c["case_id"],
                agent=c["agent"],
                category=c["category"],
                severity=c["severity"],
                input=c["input"],
                expected_tools=tuple(c["expected_tools"]),
                positive_constraints=tuple(c["positive_constraints"]),
                negative_constraints=tuple(c["negative_constraints"]),
                tags=tuple(c["tags"]),
                schema_version=self.schema_version,
            )
            for c in self.cases
            if c["active"]
        ]


def load_file(path: str | Path) -> GoldenSetFile:
    """Read and validate a golden set file (v1 or v2)."""
    path = Path(path)
    if not path.is_file():
        raise GoldenSetFormatError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldenSetFormatError(f"{path}: not valid JSON ({exc})") from exc
    return parse(data, default_name=path.stem)


def parse(data: Any, *, default_name: str = "golden") -> GoldenSetFile:
    if isinstance(data, list):
        return _parse_v1(data, default_name)
    if isinstance(data, dict) and "cases" in data:
        return _parse_v2(data, default_name)
    raise GoldenSetFormatError(
        "expected a v1 array of cases or a v2 object with a 'cases' list"
        f" (got {type(data).__name__})"
    )


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GoldenSetFormatError(f"{where}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def _parse_v1(items: list, name: str) -> GoldenSetFile:
    cases, seen = [], set()
    for index, item in enumerate(items):
        where = f"[{index}]"
        if not isinstance(item, dict):
            raise GoldenSetFormatError(f"{where}: expected an object")
        for key in ("id", "input_query"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise GoldenSetFormatError(f"{where}.{key}: required non-empty string")
        case_id = item["id"].strip()
        if case_id in seen:
            raise GoldenSetFormatError(f"{where}.id: duplicate case id {case_id!r}")
        seen.add(case_id)
        prefix = case_id.split("_", 1)[0].upper()
        cases.append(
            {
                "case_id": case_id,
                "category": _V1_CATEGORY_PREFIXES.get(prefix, CaseCategory.CORE),
                "severity": Severity.MAJOR,
                "agent": "",
                "input": {"query": item["input_query"]},
                "expected_tools": _strings(
                    item.get("expected_tools", []), f"{where}.expected_tools"
                ),
                "positive_constraints": [
                    {"type": AssertionType.ICONTAINS.value, "value": phrase}
                    for phrase in _strings(
                        item.get("positive_constraints", []), f"{where}.positive_constraints"
                    )
                ],
                "negative_constraints": [
                    {"type": AssertionType.DESCRIPTIVE.value, "description": sentence}
                    for sentence in _strings(
                        item.get("negative_constraints", []), f"{where}.negative_constraints"
                    )
                ],
                "tags": ["v1"],
                "source": CaseSource.IMPORTED_V1,
                "source_ref": "",
                "active": True,
            }
        )
    return GoldenSetFile(name=name, version=1, schema_version=1, cases=cases)


def _choice(value: Any, choices, where: str, default) -> str:
    if value in (None, ""):
        return default
    if value not in choices.values:
        raise GoldenSetFormatError(f"{where}: {value!r} is not one of {', '.join(choices.values)}")
    return value


def _assertions(value: Any, where: str) -> list[dict]:
    if not isinstance(value, list):
        raise GoldenSetFormatError(f"{where}: expected a list of assertions")
    specs = []
    for index, assertion in enumerate(value):
        try:
            specs.append(validate_assertion(assertion))
        except AssertionSpecError as exc:
            raise GoldenSetFormatError(f"{where}[{index}]: {exc}") from exc
    return specs


def _parse_v2(data: dict, default_name: str) -> GoldenSetFile:
    if data.get("schema_version", 2) != 2:
        raise GoldenSetFormatError(f"schema_version: unsupported {data.get('schema_version')!r}")
    name = data.get("name") or default_name
    version = data.get("version", 1)
    if not isinstance(name, str) or len(name) > 100:
        raise GoldenSetFormatError("name: expected a string of at most 100 characters")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise GoldenSetFormatError("version: expected a positive integer")
    if not isinstance(data["cases"], list):
        raise GoldenSetFormatError("cases: expected a list")
    cases, seen = [], set()
    for index, item in enumerate(data["cases"]):
        where = f"cases[{index}]"
        if not isinstance(item, dict):
            raise GoldenSetFormatError(f"{where}: expected an object")
        case_id = item.get("id")
        if not isinstance(case_id, str) or not case_id.strip() or len(case_id) > 100:
            raise GoldenSetFormatError(f"{where}.id: required string of at most 100 characters")
        if case_id in seen:
            raise GoldenSetFormatError(f"{where}.id: duplicate case id {case_id!r}")
        seen.add(case_id)
        agent = item.get("agent", "")
        if agent not in ("", *AGENTS):
            raise GoldenSetFormatError(
                f"{where}.agent: {agent!r} is not one of {', '.join(AGENTS)}"
            )
        case_input = item.get("input", {})
        if not isinstance(case_input, dict):
            raise GoldenSetFormatError(f"{where}.input: expected an object")
        active = item.get("active", True)
        if not isinstance(active, bool):
            raise GoldenSetFormatError(f"{where}.active: expected true or false")
        cases.append(
            {
                "case_id": case_id,
                "category": _choice(
                    item.get("category"), CaseCategory, f"{where}.category", CaseCategory.CORE
                ),
                "severity": _choice(
                    item.get("severity"), Severity, f"{where}.severity", Severity.MAJOR
                ),
                "agent": agent,
                "input": case_input,
                "expected_tools": _strings(
                    item.get("expected_tools", []), f"{where}.expected_tools"
                )
                if item.get("expected_tools")
                else [],
                "positive_constraints": _assertions(
                    item.get("positive_constraints", []), f"{where}.positive_constraints"
                ),
                "negative_constraints": _assertions(
                    item.get("negative_constraints", []), f"{where}.negative_constraints"
                ),
                "tags": _strings(item.get("tags", []), f"{where}.tags") if item.get("tags") else [],
                "source": _choice(
                    item.get("source"), CaseSource, f"{where}.source", CaseSource.AUTHORED
                ),
                "source_ref": str(item.get("source_ref", ""))[:100],
                "active": active,
            }
        )
    return GoldenSetFile(
        name=name,
        version=version,
        schema_version=2,
        description=str(data.get("description", "")),
        cases=cases,
    )


@transaction.atomic
def import_golden_set(
    source: str | Path | GoldenSetFile, *, name: str | None = None, version: int | None = None
) -> tuple[GoldenSet, int]:
    """Store a golden set file as GoldenSet ``name`` / ``version`` (replacing that version's cases).

    Returns the set and the number of cases stored. Cases absent from the file are deleted
    (their past results keep their copied fields).
    """
    parsed = source if isinstance(source, GoldenSetFile) else load_file(source)
    golden_set, _ = GoldenSet.objects.update_or_create(
        name=name or parsed.name,
        version=version or parsed.version,
        defaults={"description": parsed.description, "schema_version": parsed.schema_version},
    )
    existing = {c.case_id: c for c in golden_set.cases.all()}
    to_create, to_update = [], []
    for fields in parsed.cases:
        case = existing.pop(fields["case_id"], None)
        if case is None:
            to_create.append(GoldenCase(golden_set=golden_set, **fields))
            continue
        for key, value in fields.items():
            setattr(case, key, value)
        to_update.append(case)
    GoldenCase.objects.bulk_create(to_create)
    if to_update:
        GoldenCase.objects.bulk_update(to_update, [k for k in parsed.cases[0] if k != "case_id"])
    if existing:
        GoldenCase.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    return golden_set, len(parsed.cases)


def export_golden_set(golden_set: GoldenSet) -> dict[str, Any]:
    """The v2 document for a stored set (inactive drafts included, flagged)."""
    return {
        "schema_version": 2,
        "name": golden_set.name,
        "version": golden_set.version,
        "description": golden_set.description,
        "cases": [
            {
                "id": case.case_id,
                "category": case.category,
                "severity": case.severity,
                "agent": case.agent,
                "input": case.input,
                "expected_tools": case.expected_tools,
                "positive_constraints": case.positive_constraints,
                "negative_constraints": case.negative_constraints,
                "tags": case.tags,
                "source": case.source,
                "source_ref": case.source_ref,
                "active": case.active,
            }
            for case in golden_set.cases.order_by("case_id")
        ],
    }


def resolve_golden_set(name_or_path: str) -> tuple[GoldenSet | None, GoldenSetFile | None]:
    """``--golden-set`` accepts a stored set (``name`` or ``name@vN``, newest version by
    default) or a path to a file. Raises GoldenSetFormatError when neither matches."""
    path = Path(name_or_path)
    if path.suffix == ".json" or path.is_file():
        return None, load_file(path)
    name, _, version = name_or_path.partition("@v")
    sets = GoldenSet.objects.filter(name=name)
    if version:
        if not version.isdigit():
            raise GoldenSetFormatError(f"golden set {name_or_path!r}: version must be a number")
        sets = sets.filter(version=int(version))
    golden_set = sets.order_by("-version").first()
    if golden_set is None and name_or_path == DEFAULT_GOLDEN_SET:
        return None, load_file(DEFAULT_GOLDEN_SET_PATH)
    if golden_set is None:
        raise GoldenSetFormatError(f"no golden set named {name_or_path!r} and no such file")
    return golden_set, None
