"""Admin for leads and the agents' own records (system-written records are read-only)."""

from __future__ import annotations

from django.contrib import admin, messages

from agents.models import AgentJob, CallPrepJob, Lead
from agents.tasks import qualify_lead
from caio_site.runtime.admin import ReadOnlyAdmin, trace_link


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
    # The email is the lead's identity (imports and the API upsert by it) and the status moves
    # only through the lead status transitions; the ICP fields are the qualifier's output.
    readonly_fields = (
        "email",
        "status",
        "icp_score",
        "tier",
        "icp_rationale",
        "qualified_at",
        "created_at",
        "updated_at",
    )
    show_full_result_count = False
    actions = ("requalify",)

    def has_add_permission(self, request) -> bool:
        return False  # leads arrive by import, the API or a webhook (agents.importing)

    def has_requalify_permission(self, request) -> bool:
        return request.user.has_perm("agents.requalify_lead")

    @admin.action(
        description="Re-run qualification for the selected leads", permissions=["requalify"]
    )
    def requalify(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for lead_id in ids:
            qualify_lead.delay_on_commit(lead_id)
        self.message_user(
            request, f"Qualification enqueued for {len(ids)} leads.", messages.SUCCESS
        )


@admin.register(AgentJob)
class AgentJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "agent", "lead", "status", "attempts", "queue_item_id", "trace")
    list_filter = ("agent", "status")
    list_select_related = ("lead",)
    search_fields = ("lead__email", "correlation_id", "idempotency_key")

    @admin.display(description="trace")
    def trace(self, obj):
        return trace_link(obj.correlation_id, "timeline")


@admin.register(CallPrepJob)
class CallPrepJobAdmin(ReadOnlyAdmin):
    list_display = ("meeting_at", "lead", "status", "confidence", "source", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("lead",)
    search_fields = ("lead__email", "lead__company")
