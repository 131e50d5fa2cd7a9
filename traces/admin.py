"""Admin for traces: a read-only list and a link from each row to its timeline."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from traces.models import TraceEnvelope, TraceHold


class _ReadOnly:
    """System-written records: nobody adds, edits or deletes them here (prune_traces does)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TraceEnvelope)
class TraceEnvelopeAdmin(_ReadOnly, admin.ModelAdmin):
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
    show_full_result_count = False
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

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        colour = {"ok": "#2e7d32", "error": "#ba2121", "blocked": "#a05a00"}.get(obj.status, "")
        return format_html('<strong style="color:{}">{}</strong>', colour, obj.status)

    @admin.display(description="correlation id")
    def timeline_link(self, obj):
        url = reverse("traces:timeline", args=[obj.correlation_id])
        return format_html('<a href="{}">{}</a>', url, obj.correlation_id)


@admin.register(TraceHold)
class TraceHoldAdmin(_ReadOnly, admin.ModelAdmin):
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
    show_full_result_count = False
