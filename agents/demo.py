"""Demo data for the agents app: the demo leads go through the real pipeline.

``seed()`` imports ``agents/data/demo_leads.csv`` with the same function as
``manage.py import_leads``; each lead is qualified and, when it fits the ICP, drafted into the
approval queue by the agents (eager Celery in the embedded default, the workers otherwise).
Then the pipeline scan prepares briefs for the simulated calendar's meetings. Running it again
changes nothing: leads are keyed by email and agent jobs by their input.
"""

from __future__ import annotations

from agents.choices import LeadSource
from agents.importing import DEMO_CSV, import_leads_csv
from agents.tasks import prepare_meetings
from approvals.models import QueueItem


def seed(stdout=None, style=None) -> None:
    with DEMO_CSV.open(encoding="utf-8", newline="") as fh:
        report = import_leads_csv(fh, source=LeadSource.DEMO)
    meetings = prepare_meetings(hours=48)
    if stdout is not None:
        queued = QueueItem.objects.filter(lead_id__in=report.lead_ids).count()
        message = (
            f"agents: {report.created} demo leads created, {report.updated} already present; "
            f"{queued} drafts in the approval queue; "
            f"{len(meetings['meetings'])} meetings with call prep"
        )
        stdout.write(style.SUCCESS(message) if style is not None else message)
