"""``agents.demo.seed``: the demo leads fill the inbox through the real pipeline, once."""

from __future__ import annotations

from io import StringIO

import pytest

from agents.choices import LeadStatus
from agents.demo import seed
from agents.models import AgentJob, Lead
from approvals.choices import QueueItemKind, QueueStatus
from approvals.models import QueueItem

pytestmark = pytest.mark.django_db


def test_seeding_twice_fills_the_inbox_once(without_redis, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed(stdout=StringIO())
    leads = Lead.objects.count()
    drafts = QueueItem.objects.filter(kind=QueueItemKind.EMAIL).count()
    jobs = AgentJob.objects.count()
    assert leads == 30
    assert drafts >= 15
    assert QueueItem.objects.filter(status=QueueStatus.PENDING).exists()
    disqualified = set(
        Lead.objects.filter(status=LeadStatus.DISQUALIFIED).values_list("company_domain", flat=True)
    )
    assert {"outreachly.example", "lumenstaffing.example", "cityofriverton.gov"} <= disqualified
    assert not QueueItem.objects.filter(lead__company_domain__in=disqualified).exists()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        seed(stdout=out)
    assert Lead.objects.count() == leads
    assert QueueItem.objects.filter(kind=QueueItemKind.EMAIL).count() == drafts
    assert AgentJob.objects.count() == jobs
    assert "0 demo leads created" in out.getvalue()
