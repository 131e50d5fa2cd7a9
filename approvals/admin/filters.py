"""Changelist filters of the inbox. None of them queries the big table for its choices."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from approvals.choices import QueueStatus, RubricState, SlaState
from approvals.models import SlaPolicy
from approvals.sla import cutoffs, sla_filter

ALL = "all"


class StatusFilter(admin.SimpleListFilter):
    """Status, defaulting to the inbox (pending) rather than everything."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(ALL, _("All")), *QueueStatus.choices]

    def value(self):
        return super().value() or QueueStatus.PENDING

    def choices(self, changelist):
        current = self.value()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL:
            return queryset
        if value in QueueStatus.values:
            return queryset.filter(status=value)
        return queryset.none()


class SlaStateFilter(admin.SimpleListFilter):
    title = _("SLA state")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return SlaState.choices

    def queryset(self, request, queryset):
        if self.value() in SlaState.values:
            return queryset.filter(sla_filter(SlaState(self.value()), cutoffs(SlaPolicy.current())))
        return queryset


class RubricStateFilter(admin.SimpleListFilter):
    title = _("rubric")
    parameter_name = "rubric"

    def lookups(self, request, model_admin):
        return RubricState.choices

    def queryset(self, request, queryset):
        if self.value() in RubricState.values:
            return queryset.filter(rubric_state=self.value())
        return queryset


# The agents that put items into the queue (a fixed list: a DISTINCT over the queue would cost
# a scan of the whole table on every inbox render).
QUEUE_AGENTS = [("draft_email", "draft_email"), ("call_prep", "call_prep")]


class AgentFilter(admin.SimpleListFilter):
    title = _("agent")
    parameter_name = "agent"

    def lookups(self, request, model_admin):
        return QUEUE_AGENTS

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(agent=self.value())
        return queryset
