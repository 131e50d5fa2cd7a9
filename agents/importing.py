"""How leads enter the pipeline: ``upsert_lead`` (API, CSV, webhooks) and the CSV import.

CSV import: validate each row, import the good ones, report the bad ones by line.

Columns (header row, case-insensitive, unknown columns ignored and reported): ``email``
(required), ``first_name``, ``last_name``, ``title``, ``company``, ``company_domain``,
``industry``, ``employee_count``, ``revenue_band``, ``tech_stack`` (separated by ``;`` or ``|``),
``notes``, and the intent signals ``page_views``, ``downloads``, ``demo_request``,
``event_attended``, ``signal_source``. Import is idempotent by email: a second import of the
same file updates the same leads and, their facts unchanged, starts no new agent work.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from agents.api.serializers import LeadInputSerializer
from agents.choices import LeadSource
from agents.models import Lead
from agents.tasks import qualify_lead

DEMO_CSV = Path(__file__).resolve().parent / "data" / "demo_leads.csv"
# Every fact is a column of its own except the signals, which have their own columns below.
TEXT_COLUMNS = tuple(name for name in Lead.FACT_FIELDS if name != "signals")
SIGNAL_COLUMNS = {
    "page_views": "page_views",
    "downloads": "downloads",
    "demo_request": "demo_request",
    "event_attended": "event_attended",
    "signal_source": "source",
}
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


# Fields a lead may arrive with (API, CSV, webhook) besides its email; ICP fields are the
# qualify agent's.
LEAD_INPUT_FIELDS = tuple(name for name in Lead.FACT_FIELDS if name != "email")


def upsert_lead(data: dict, *, source: str) -> tuple[Lead, bool]:
    """Create or update the lead with ``data["email"]`` and enqueue ``qualify`` on commit.

    Only the fields present in ``data`` change on update (a partial update keeps the rest).
    Re-qualifying unchanged facts is a no-op: the qualify job is keyed by the lead's facts.
    Returns ``(lead, created)``.
    """
    email = data["email"].strip().lower()
    fields = {k: v for k, v in data.items() if k in LEAD_INPUT_FIELDS}
    if "company_domain" in fields:
        fields["company_domain"] = (fields["company_domain"] or "").strip().lower()
    with transaction.atomic():
        lead, created = Lead.objects.get_or_create(
            email=email, defaults={**fields, "source": source}
        )
        if not created:
            changed = [k for k, v in fields.items() if getattr(lead, k) != v]
            for name in changed:
                setattr(lead, name, fields[name])
            if changed:
                lead.save(update_fields=[*changed, "updated_at"])
        qualify_lead.delay_on_commit(lead.pk)
    return lead, created


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (no header, no email column, not text)."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)
    ignored_columns: list[str] = field(default_factory=list)
    lead_ids: list[int] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated


def _row_to_data(row: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Turn CSV strings into API-shaped data; returns data and conversion errors."""
    data, errors = {}, []
    for column in TEXT_COLUMNS:
        value = (row.get(column) or "").strip()
        if column == "email" or value:
            data[column] = value
    if "tech_stack" in data:
        data["tech_stack"] = [t.strip() for t in re.split(r"[;|]", data["tech_stack"]) if t.strip()]
    signals = {}
    for column, key in SIGNAL_COLUMNS.items():
        value = (row.get(column) or "").strip()
        if not value:
            continue
        if column in ("page_views", "downloads"):
            if not value.isdigit():
                errors.append((column, "Enter a whole number."))
                continue
            signals[key] = int(value)
        elif column in ("demo_request", "event_attended"):
            if value.lower() not in _TRUE | _FALSE:
                errors.append((column, "Enter true or false."))
                continue
            signals[key] = value.lower() in _TRUE
        else:
            signals[key] = value
    if signals:
        data["signals"] = signals
    return data, errors


def import_leads_csv(lines, *, source: str = LeadSource.CSV) -> ImportReport:
    """Import the CSV text ``lines`` (an iterable of str); see the module docstring."""
    reader = csv.DictReader(lines)
    if not reader.fieldnames:
        raise ImportFileError("the file is empty: expected a header row with an email column")
    reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames]
    if "email" not in reader.fieldnames:
        raise ImportFileError(f"no email column in the header ({', '.join(reader.fieldnames)})")
    report = ImportReport()
    known = set(TEXT_COLUMNS) | set(SIGNAL_COLUMNS)
    report.ignored_columns = [c for c in reader.fieldnames if c and c not in known]
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line is not an error
        data, problems = _row_to_data(row)
        serializer = LeadInputSerializer(data=data)
        if not serializer.is_valid():
            for name, messages in serializer.errors.items():
                problems.extend((name, str(m)) for m in messages)
        if problems:
            report.errors.extend((line, name, message) for name, message in problems)
            continue
        lead, created = upsert_lead(serializer.validated_data, source=source)
        report.lead_ids.append(lead.pk)
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report
