"""Admin for leads and the agents' own records (system-written records are read-only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from agents.models import AgentJob, CallPrepJob, Lead
from agents.tasks import qualify_lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "company",
        "title",
        "status",
        "tier",
        "icp_score",
        "source",
        "created_at",
    )
    list_filter = ("status", "tier", "source")
    search_fields = ("email", "company", "company_domain", "first_name", "last_name")
    readonly_fields = (
        "icp_score",
        "tier",
        "icp_rationale",
        "qualified_at",
        "created_at",
        "updated_at",
    )
    show_full_result_count = False
    actions = ("requalify",)

    @admin.action(description="Re-run qualification for the selected leads")
    def requalify(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for lead_id in ids:
            qualify_lead.delay_on_commit(lead_id)
        self.message_user(
            request, f"Qualification enqueued for {len(ids)} leads.", messages.SUCCESS
        )


class _ReadOnly(admin.ModelAdmin):
    """Written by the agents and the runtime only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgentJob)
class AgentJobAdmin(_ReadOnly):
    list_display = ("created_at", "agent", "lead", "status", "attempts", "queue_item_id", "trace")
    list_filter = ("agent", "status")
    list_select_related = ("lead",)
    search_fields = ("lead__email", "correlation_id", "idempotency_key")
    show_full_result_count = False

    @admin.display(description="trace")
    def trace(self, obj):
        if not obj.correlation_id:
            return "—"
        try:
            url = reverse("traces:timeline", args=[obj.correlation_id])
        except NoReverseMatch:
            return obj.correlation_id
        return format_html('<a href="{}">timeline</a>', url)


@admin.register(CallPrepJob)
class CallPrepJobAdmin(_ReadOnly):
    list_display = ("meeting_at", "lead", "status", "confidence", "source", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("lead",)
    search_fields = ("lead__email", "lead__company")
    show_full_result_count = False
