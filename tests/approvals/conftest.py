"""Fixtures of the approvals tests: the default policy data and ready-made drafts."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from approvals.choices import QueueItemKind
from approvals.queue import submit
from tests.approvals.factories import draft_body, good_evidence
from tests.factories import LeadFactory

_defaults = importlib.import_module("approvals.migrations.0002_default_policy_data")


@pytest.fixture(autouse=True)
def policy_data(django_db_setup, django_db_blocker):
    """The defaults of the data migration, put back after transactional tests flushed them
    (it leaves existing rows alone; the groups come back by themselves, see caio_site.roles)."""
    with django_db_blocker.unblock():
        _defaults.load_defaults(django_apps, None)


@pytest.fixture
def make_item():
    """``make_item(**overrides)`` submits a clean, all-pass email draft for a new lead."""
    counter = {"n": 0}

    def _make(lead=None, **overrides):
        counter["n"] += 1
        lead = lead or LeadFactory(tier="tier_1")
        fields = {
            "kind": QueueItemKind.EMAIL,
            "lead": lead,
            "agent": "draft_email",
            "subject": f"Proposal turnaround at {lead.company}",
            "body": draft_body(lead),
            "idempotency_key": f"test:{lead.pk}:{counter['n']}",
            "tier": "tier_1",
            "angle": "margin",
            "evidence": good_evidence(lead),
        }
        fields.update(overrides)
        return submit(**fields)

    return _make
