"""Admin for traces: a read-only list, a link from each row to its timeline, and the timeline
page of one correlation id."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from caio_site.runtime.admin import ReadOnlyAdmin, trace_link
from traces.choices import TRACE_STATUS_COLOURS
from traces.models import TraceEnvelope, TraceHold
from traces.timeline import build_timeline


@admin.register(TraceEnvelope)
class TraceEnvelopeAdmin(ReadOnlyAdmin):
    """Nobody adds, edits or deletes envelopes here (prune_traces does)."""

    list_display = (
        "timestamp",
        "agent",
        "tool_name",
        "status_badge",
        "duration_ms",
        "error_code",
        "timeline_link",
    )
    list_filter = (
        "status",
        "agent",
        "tool_name",
        "error_code",
        ("timestamp", admin.DateFieldListFilter),
    )
    # Exact matches use the correlation / case indexes; no LIKE scans over summaries.
    search_fields = ("=correlation_id", "=case_id", "=id")
    search_help_text = "Exact correlation id, case id or envelope id."
    ordering = ("-timestamp",)
    list_per_page = 100
    fields = (
        "id",
        "timestamp",
        "timeline_link",
        "case_id",
        "parent_id",
        "agent",
        "tool_name",
        "status",
        "duration_ms",
        "error_code",
        "error_message",
        "tool_input_summary",
        "tool_output_summary",
        "retrieved_context_refs",
        "schema_version",
    )
    readonly_fields = fields

    def get_urls(self):
        return [
            path(
                "timeline/<str:correlation_id>/",
                self.admin_site.admin_view(self.timeline_view),
                name="traces_traceenvelope_timeline",
            ),
            *super().get_urls(),
        ]

    def timeline_view(self, request, correlation_id: str):
        """Every span of one correlation id, indented by parent, with durations and errors."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Trace {correlation_id}",
            "timeline": build_timeline(correlation_id),
        }
        return TemplateResponse(request, "admin/traces/traceenvelope/timeline.html", context)

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        colour = TRACE_STATUS_COLOURS.get(obj.status, "")
        return format_html('<strong style="color:{}">{}</strong>', colour, obj.status)

    @admin.display(description="correlation id")
    def timeline_link(self, obj):
        return trace_link(obj.correlation_id)


@admin.register(TraceHold)
class TraceHoldAdmin(ReadOnlyAdmin):
    list_display = (
        "holder_type",
        "holder_id",
        "correlation_id",
        "envelope_id",
        "reason",
        "created_at",
    )
    list_select_related = ("holder_type",)
    list_filter = ("holder_type",)
    search_fields = ("=correlation_id", "=holder_id")
