"""Factories of the traces tests."""

from __future__ import annotations

import datetime
import uuid

import factory
from django.utils import timezone

from traces.choices import AgentName, TraceStatus
from traces.models import TraceEnvelope


class TraceEnvelopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraceEnvelope

    id = factory.LazyFunction(uuid.uuid4)
    timestamp = factory.LazyFunction(timezone.now)
    correlation_id = factory.LazyFunction(lambda: uuid.uuid4().hex)
    agent = AgentName.QUALIFY
    tool_name = "crm.read_contact"
    tool_input_summary = '{"lead":1}'
    tool_output_summary = '{"ok":true}'
    status = TraceStatus.OK
    duration_ms = 1.5


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
