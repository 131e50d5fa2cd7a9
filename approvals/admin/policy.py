"""The Head of Sales' policy data: taxonomy, rubric, standards, SLA, meeting prep, limits."""

from __future__ import annotations

from django.contrib import admin

from approvals.models import (
    MeetingPrepPolicy,
    RejectionCategory,
    RubricCheck,
    SegmentStandard,
    SendingLimits,
    SlaPolicy,
)


@admin.register(RejectionCategory)
class RejectionCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "policy", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("policy", "active")
    search_fields = ("name", "key", "description")

    def has_delete_permission(self, request, obj=None):
        return False  # rejected items keep pointing at their category; deactivate instead


@admin.register(RubricCheck)
class RubricCheckAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "severity", "enabled", "position")
    list_editable = ("severity", "enabled")
    list_filter = ("severity", "enabled")
    readonly_fields = ("key",)

    def has_add_permission(self, request):
        return False  # a check is code in approvals/rubric.py; its row only configures it

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SegmentStandard)
class SegmentStandardAdmin(admin.ModelAdmin):
    list_display = ("name", "tier", "active")
    list_filter = ("active",)


class SingletonAdmin(admin.ModelAdmin):
    """One row per policy, created by the data migration (or by ``current()`` if missing):
    edit it, never add a second one or delete it."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SlaPolicy)
class SlaPolicyAdmin(SingletonAdmin):
    list_display = (
        "__str__",
        "target_hours",
        "at_risk_after_hours",
        "breached_after_hours",
        "max_age_hours",
        "daily_capacity",
    )


@admin.register(MeetingPrepPolicy)
class MeetingPrepPolicyAdmin(SingletonAdmin):
    list_display = ("__str__", "min_pain_points", "min_objections", "confidence_threshold")


@admin.register(SendingLimits)
class SendingLimitsAdmin(SingletonAdmin):
    list_display = ("__str__", "per_day", "per_hour", "per_domain_per_hour")
