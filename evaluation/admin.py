"""Admin: golden sets and cases are curated here; replay runs and their results are read-only;
escalations are acknowledged and resolved here (their fields are system-written)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from approvals.models import QueueItem
from caio_site.runtime.admin import ReadOnlyAdmin, trace_link
from evaluation import escalations
from evaluation.choices import (
    CASE_OUTCOME_COLOURS,
    ESCALATION_STATUS_COLOURS,
    SEVERITY_COLOURS,
    CaseOutcome,
)
from evaluation.models import CaseResult, Escalation, GoldenCase, GoldenSet, ReplayRun
from evaluation.promotion import activate_cases, promote_queue_items


@admin.register(GoldenSet)
class GoldenSetAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "schema_version", "case_count", "active_count", "updated_at")
    search_fields = ("name",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_cases=Count("cases"), n_active=Count("cases", filter=Q(cases__active=True)))
        )

    @admin.display(description="cases", ordering="n_cases")
    def case_count(self, obj):
        return obj.n_cases

    @admin.display(description="active", ordering="n_active")
    def active_count(self, obj):
        return obj.n_active


@admin.action(description="Activate the selected cases (reviewed)", permissions=["change"])
def activate(modeladmin, request, queryset):
    changed = activate_cases(queryset, reviewer=request.user)
    modeladmin.message_user(
        request, f"Activated {changed} case(s); {queryset.count() - changed} were already active."
    )


@admin.register(GoldenCase)
class GoldenCaseAdmin(admin.ModelAdmin):
    list_display = (
        "case_id",
        "golden_set",
        "agent",
        "category",
        "severity",
        "active",
        "source",
        "source_link",
    )
    list_filter = ("active", "agent", "category", "severity", "source", "golden_set")
    list_select_related = ("golden_set",)
    search_fields = ("case_id", "source_ref")
    readonly_fields = ("source", "source_ref", "source_link", "reviewed_by", "reviewed_at")
    actions = [activate]

    @admin.display(description="from")
    def source_link(self, obj):
        pk = obj.queue_item_pk
        if pk is None:
            return "—"
        try:
            url = reverse("admin:approvals_queueitem_change", args=[pk])
        except NoReverseMatch:
            return obj.source_ref
        return format_html('<a href="{}">{}</a>', url, obj.source_ref)


class CaseResultInline(admin.TabularInline):
    """The run page: pass/fail per case and its change against the baseline."""

    model = CaseResult
    fields = (
        "case_link",
        "agent",
        "severity",
        "outcome_badge",
        "overall_score",
        "baseline_outcome",
        "score_delta",
        "verdict",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("outcome", "case_id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="case")
    def case_link(self, obj):
        url = reverse("admin:evaluation_caseresult_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.case_id)

    @admin.display(description="outcome")
    def outcome_badge(self, obj):
        colour = CASE_OUTCOME_COLOURS.get(obj.outcome, "")
        flip = ""
        if obj.baseline_outcome == CaseOutcome.PASSED and obj.outcome != CaseOutcome.PASSED:
            flip = " (pass→fail)"
        elif obj.baseline_outcome and obj.baseline_outcome != CaseOutcome.PASSED and obj.passed:
            flip = " (fail→pass)"
        return format_html(
            '<strong style="color:{}">{}</strong>{}', colour, obj.get_outcome_display(), flip
        )

    @admin.display(description="verdict")
    def verdict(self, obj):
        return obj.error or obj.judge.get("final_verdict", "")


@admin.register(ReplayRun)
class ReplayRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "golden_set_label",
        "status",
        "runner",
        "total",
        "pass_rate_display",
        "mean_score",
        "critical_failures",
        "block_build",
        "started_at",
    )
    list_filter = ("status", "block_build", "runner", "golden_set_label")
    date_hierarchy = "started_at"
    inlines = [CaseResultInline]
    fields = (
        "golden_set_label",
        "status",
        "runner",
        "runner_cmd",
        "workers",
        "options",
        ("total", "passed", "failed", "runner_errors"),
        ("pass_rate_display", "mean_score", "critical_failures"),
        ("min_pass_rate", "max_score_drop"),
        "block_build",
        "block_reasons_display",
        "baseline",
        "baseline_summary",
        "error",
        "triggered_by",
        ("started_at", "finished_at"),
    )
    readonly_fields = tuple(
        name for entry in fields for name in (entry if isinstance(entry, tuple) else (entry,))
    )

    @admin.display(description="pass rate", ordering="pass_rate")
    def pass_rate_display(self, obj):
        return "—" if obj.pass_rate is None else f"{obj.pass_rate:.1%}"

    @admin.display(description="why blocked")
    def block_reasons_display(self, obj):
        if not obj.block_reasons:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in obj.block_reasons))
        )

    @admin.display(description="against baseline")
    def baseline_summary(self, obj):
        diff = obj.baseline_diff or {}
        if not diff:
            return "no baseline"
        return format_html(
            "mean {} → {} (drop {}); pass→fail: {}; fail→pass: {}",
            diff.get("baseline_mean_score"),
            obj.mean_score,
            diff.get("mean_score_drop"),
            ", ".join(diff.get("pass_to_fail", [])) or "none",
            ", ".join(diff.get("fail_to_pass", [])) or "none",
        )


@admin.register(CaseResult)
class CaseResultAdmin(ReadOnlyAdmin):
    list_display = (
        "case_id",
        "run",
        "agent",
        "severity",
        "outcome",
        "overall_score",
        "baseline_outcome",
        "score_delta",
    )
    list_filter = ("outcome", "severity", "agent", "category")
    list_select_related = ("run",)
    search_fields = ("case_id", "correlation_id")
    readonly_fields = (
        "run",
        "golden_case",
        "case_id",
        "agent",
        "category",
        "severity",
        "outcome",
        "overall_score",
        "baseline_outcome",
        "score_delta",
        "judge",
        "unchecked_constraints",
        "actual_output",
        "structured_output",
        "tool_trace_log",
        "rag_context_chunks",
        "metadata",
        "trace_link",
        "error",
        "duration_ms",
    )
    fields = readonly_fields

    @admin.display(description="trace timeline")
    def trace_link(self, obj):
        return trace_link(obj.correlation_id)


def _transition(modeladmin, request, queryset, transition, verb: str) -> None:
    done, conflicts = 0, []
    for pk in queryset.values_list("pk", flat=True):
        try:
            transition(pk, actor=request.user)
        except escalations.EscalationConflict as exc:
            conflicts.append(str(exc))
        else:
            done += 1
    modeladmin.message_user(
        request,
        f"{verb.capitalize()} {done} escalation(s)"
        + (f"; {len(conflicts)} skipped ({'; '.join(conflicts[:3])})" if conflicts else "."),
        messages.SUCCESS if done and not conflicts else messages.WARNING,
    )


@admin.action(description="Acknowledge the selected escalations", permissions=["change"])
def acknowledge_escalations(modeladmin, request, queryset):
    _transition(modeladmin, request, queryset, escalations.acknowledge, "acknowledged")


@admin.action(description="Resolve the selected escalations", permissions=["change"])
def resolve_escalations(modeladmin, request, queryset):
    _transition(modeladmin, request, queryset, escalations.resolve, "resolved")


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """Raised by the escalation check only; people change the status through the actions."""

    list_display = (
        "id",
        "created_at",
        "rule",
        "severity_badge",
        "status",
        "title",
        "acknowledged_by",
        "resolved_by",
    )
    list_filter = ("status", "rule", "severity")
    list_select_related = ("acknowledged_by", "resolved_by")
    show_full_result_count = False
    date_hierarchy = "created_at"
    search_fields = ("title",)
    actions = [acknowledge_escalations, resolve_escalations]
    fields = (
        "rule",
        "severity",
        "status",
        "day",
        "title",
        "detail",
        "created_at",
        ("acknowledged_by", "acknowledged_at"),
        ("resolved_by", "resolved_at"),
    )
    readonly_fields = tuple(
        name for entry in fields for name in (entry if isinstance(entry, tuple) else (entry,))
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="severity", ordering="severity")
    def severity_badge(self, obj):
        colour = ESCALATION_STATUS_COLOURS.get(obj.status) or SEVERITY_COLOURS.get(obj.severity)
        return format_html(
            '<strong style="color:{}">{}</strong>', colour, obj.get_severity_display()
        )


@admin.action(description="Promote to golden draft (rejected or edited items)")
def promote_to_golden_draft(modeladmin, request, queryset):
    """Thin caller of ``evaluation.promotion.promote_queue_items`` for the queue's admin."""
    if not request.user.has_perm("evaluation.add_goldencase"):
        modeladmin.message_user(
            request, "You may not create golden cases (evaluation.add_goldencase).", messages.ERROR
        )
        return
    result = promote_queue_items(queryset.select_related("lead", "rejection_category"))
    modeladmin.message_user(
        request,
        f"Created {len(result.created)} draft golden case(s) in the production-misses set;"
        f" skipped {len(result.skipped)}.",
        messages.SUCCESS if result.created else messages.WARNING,
    )


def add_promotion_action_to_queue_admin(site: admin.AdminSite) -> None:
    """The queue's admin belongs to approvals; evaluation adds its one action to it (called
    from ``EvaluationConfig.ready``, after the admin has discovered every app's admin)."""
    if not site.is_registered(QueueItem):
        return
    model_admin = site.get_model_admin(QueueItem)
    actions = list(model_admin.actions or [])
    if promote_to_golden_draft not in actions:
        model_admin.actions = [*actions, promote_to_golden_draft]


# The scorecard's admin lives in its own module; importing it registers it.
from evaluation import scorecard_admin  # noqa: E402, F401
