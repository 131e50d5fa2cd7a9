"""Filters of the traces API."""

import django_filters

from traces.choices import AGENT_CHOICES, TraceStatus
from traces.models import TraceEnvelope


class TraceEnvelopeFilter(django_filters.FilterSet):
    correlation_id = django_filters.CharFilter(help_text="One request / job / Inngest run.")
    case_id = django_filters.CharFilter(help_text="A golden case replayed.")
    agent = django_filters.ChoiceFilter(choices=AGENT_CHOICES)
    tool_name = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=TraceStatus.choices)

    class Meta:
        model = TraceEnvelope
        fields = ["correlation_id", "case_id", "agent", "tool_name", "status"]
