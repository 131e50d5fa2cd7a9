"""Filters of the emails list (django-filter)."""

from __future__ import annotations

import django_filters

from agents.choices import Tier
from approvals.choices import QueueStatus, SlaState
from approvals.models import QueueItem, SlaPolicy
from approvals.sla import cutoffs, sla_filter


class EmailFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=QueueStatus.choices)
    tier = django_filters.ChoiceFilter(choices=Tier.choices)
    sla_state = django_filters.ChoiceFilter(
        choices=SlaState.choices, method="filter_sla_state", label="SLA state of pending items"
    )
    agent = django_filters.CharFilter()
    correlation_id = django_filters.CharFilter()

    class Meta:
        model = QueueItem
        fields = ["status", "tier", "sla_state", "agent", "correlation_id"]

    def filter_sla_state(self, queryset, name, value):
        return queryset.filter(sla_filter(SlaState(value), cutoffs(SlaPolicy.current())))
