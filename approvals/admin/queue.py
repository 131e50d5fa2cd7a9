"""The Head of Sales' inbox: the QueueItem changelist, change page and decisions."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from approvals import decisions, sla
from approvals.admin.filters import AgentFilter, RubricStateFilter, SlaStateFilter, StatusFilter
from approvals.admin.forms import DraftDecisionForm, RejectForm, SingleRejectForm
from approvals.choices import QueueStatus, RubricState, SlaState
from approvals.models import PENDING_FIRST, QueueEvent, QueueItem, SlaPolicy

SLA_COLOURS = {
    SlaState.WITHIN_TARGET: "#2e7d32",
    SlaState.AT_RISK: "#ef6c00",
    SlaState.BREACHED: "#c62828",
}
INBOX_DEFERRED = (
    "body",
    "original_body",
    "original_subject",
    "edit_diff",
    "evidence",
    "payload",
    "rubric_results",
    "blocked_reasons",
    "feedback",
    "rejection_reason",
    "last_error",
)
RUBRIC_COLOURS = {
    RubricState.ALL_PASS: "#2e7d32",
    RubricState.SOFT_FLAGS: "#ef6c00",
    RubricState.HARD_FAIL: "#c62828",
}


def _age(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"


def trace_timeline_url(correlation_id: str) -> str | None:
    if not correlation_id:
        return None
    try:
        return reverse("traces:timeline", args=[correlation_id])
    except NoReverseMatch:
        return None


@admin.register(QueueItem)
class QueueItemAdmin(admin.ModelAdmin):
    """Pending drafts first, oldest first; decisions go through approvals.decisions only."""

    change_form_template = "admin/approvals/queueitem/change_form.html"
    list_display = (
        "age",
        "status",
        "tier",
        "lead_name",
        "company",
        "subject_line",
        "rubric_score",
        "agent",
    )
    list_display_links = ("subject_line",)
    list_select_related = ("lead",)
    list_filter = (
        StatusFilter,
        "tier",
        SlaStateFilter,
        RubricStateFilter,
        AgentFilter,
        "kind",
        "rejection_category",
    )
    search_fields = ("subject", "lead__email", "lead__last_name", "lead__company")
    search_help_text = "Lead email or last name, company, or words of the subject."
    show_full_result_count = False
    list_per_page = 50
    actions = ("approve_selected", "reject_selected", "retry_failed_sends")
    fieldsets = (
        ("Draft", {"fields": ("subject", "body")}),
        (
            "Status and decision details",
            {
                "classes": ("collapse",),
                "fields": (
                    "status",
                    "version",
                    "kind",
                    "agent",
                    "tier",
                    "angle",
                    "created_at",
                    "decided_by",
                    "decided_at",
                    "sent_at",
                    "was_edited",
                    "edit_diff",
                    "rejection_category",
                    "rejection_reason",
                    "blocked_reasons",
                    "supersedes",
                    "correlation_id",
                    "last_error",
                ),
            },
        ),
    )
    readonly_fields = fieldsets[1][1]["fields"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # Room to read and edit the whole draft, footer included.
        if db_field.name == "subject":
            field.widget.attrs.update(size=90, style="width: 100%; max-width: 50em")
        elif db_field.name == "body":
            field.widget.attrs.update(rows=18, cols=100)
        return field

    # --- permissions ------------------------------------------------------------------------
    def has_add_permission(self, request):
        return False  # drafts come from the agents through approvals.queue.submit

    def has_delete_permission(self, request, obj=None):
        return False  # the queue is an audit trail

    def has_change_permission(self, request, obj=None):
        return decisions.can_decide(request.user)

    def has_decide_permission(self, request):
        return decisions.can_decide(request.user)

    def get_readonly_fields(self, request, obj=None):
        if (
            obj is None
            or obj.status != QueueStatus.PENDING
            or not self.has_decide_permission(request)
        ):
            return ("subject", "body", *self.readonly_fields)
        return self.readonly_fields

    # --- changelist -------------------------------------------------------------------------
    def get_changelist(self, request, **kwargs):
        # The inbox shows short columns; the draft texts and JSON blobs stay in the database.
        request._inbox = True
        return super().get_changelist(request, **kwargs)

    def get_queryset(self, request):
        queryset = self._annotated(request)
        if getattr(request, "_inbox", False):
            queryset = queryset.defer(*INBOX_DEFERRED)
        return queryset

    def _annotated(self, request):
        policy = getattr(request, "_sla_policy", None) or SlaPolicy.current()
        request._sla_policy = policy
        # The SLA state is computed in SQL so the age column costs no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(sla_state=sla.sla_annotation(sla.cutoffs(policy)))
        )

    def get_ordering(self, request):
        if request.GET.get(StatusFilter.parameter_name) == "all":
            return (PENDING_FIRST.asc(), "created_at", "id")
        return ("created_at", "id")

    @admin.display(description="age", ordering="created_at")
    def age(self, item):
        end = item.decided_at if item.status != QueueStatus.PENDING and item.decided_at else None
        text = _age((end or timezone.now()) - item.created_at)
        colour = SLA_COLOURS.get(getattr(item, "sla_state", ""), "#666")
        state = getattr(item, "sla_state", "") or "decided"
        return format_html(
            '<span style="color:{};font-weight:600" title="{}">{}</span>', colour, state, text
        )

    @admin.display(description="lead", ordering="lead__last_name")
    def lead_name(self, item):
        return item.lead.full_name or item.lead.email

    @admin.display(description="company", ordering="lead__company")
    def company(self, item):
        return item.lead.company

    @admin.display(description="subject")
    def subject_line(self, item):
        return item.subject or f"({item.get_kind_display()})"

    @admin.display(description="rubric", ordering="rubric_state")
    def rubric_score(self, item):
        return format_html(
            '<span style="color:{}" title="{}">{}/{}</span>',
            RUBRIC_COLOURS.get(item.rubric_state, "#666"),
            item.get_rubric_state_display(),
            item.rubric_passed,
            item.rubric_total,
        )

    def get_search_results(self, request, queryset, search_term):
        # Match on the narrow columns first (the pending index carries subject and lead), then
        # fetch only the matching rows: the wide draft rows are never scanned for a search.
        matched, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return matched, may_have_duplicates
        return queryset.filter(pk__in=matched.values("pk")), False

    # --- change page ------------------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="approvals_queueitem_reject",
            ),
            *super().get_urls(),
        ]

    def get_object(self, request, object_id, from_field=None):
        item = super().get_object(request, object_id, from_field)
        unsaved = getattr(request, "_unsaved_draft", None)
        if item is not None and unsaved:
            # Re-showing a refused edit: keep what the Head of Sales typed.
            item.subject, item.body = unsaved
        return item

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, unquote(object_id))
        if request.method == "POST" and item is not None:
            response = self._decide(request, item)
            if response is not None:
                return response
            # Refused input: show the page again with the typed text and the messages.
            request.method = "GET"
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), **self._context(request, item)}
        )

    def _context(self, request, item) -> dict:
        if item is None:
            return {}
        history = (
            QueueItem.objects.filter(lead_id=item.lead_id, status=QueueStatus.REJECTED)
            .exclude(pk=item.pk)
            .select_related("rejection_category", "decided_by")
            .order_by("-decided_at")[:20]
        )
        events = QueueEvent.objects.filter(item=item).select_related("actor")
        return {
            "item": item,
            "lead": item.lead,
            "can_decide": self.has_decide_permission(request)
            and item.status == QueueStatus.PENDING,
            "rejection_history": history,
            "events": events,
            "trace_url": trace_timeline_url(item.correlation_id),
            "sent_message": getattr(item, "sent_message", None),
            "reject_url": reverse("admin:approvals_queueitem_reject", args=[item.pk]),
            "payload_json": json.dumps(item.payload, indent=2, ensure_ascii=False)
            if item.payload
            else "",
        }

    def _decide(self, request, item):
        """Handle the decision buttons; a response ends the request, None re-shows the page."""
        if not self.has_decide_permission(request):
            raise PermissionDenied
        form = DraftDecisionForm(request.POST)
        if not form.is_valid():
            self.message_user(
                request, "The form was incomplete; reload and try again.", messages.ERROR
            )
            return None
        version = form.cleaned_data["version"]
        subject = form.cleaned_data["subject"].strip()
        body = form.cleaned_data["body"].replace("\r\n", "\n")
        edited = (subject, body) != (item.subject, item.body)
        request._unsaved_draft = (subject, body)
        if "_reject" in request.POST:
            return HttpResponseRedirect(
                reverse("admin:approvals_queueitem_reject", args=[item.pk]) + f"?version={version}"
            )
        if "_approve" in request.POST and edited:
            self.message_user(
                request,
                "You changed the draft: use “Save edits and approve” to send your version.",
                messages.WARNING,
            )
            return None
        if "_approve" not in request.POST and "_approve_edits" not in request.POST:
            self.message_user(
                request, "Use Approve, Save edits and approve, or Reject.", messages.ERROR
            )
            return None
        try:
            if "_approve_edits" in request.POST:
                decisions.approve(
                    item, actor=request.user, subject=subject, body=body, expected_version=version
                )
            else:
                decisions.approve(item, actor=request.user, expected_version=version)
        except decisions.DecisionConflict as exc:
            request._unsaved_draft = None
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)
        except decisions.InvalidDecision as exc:
            for field, problems in exc.errors.items():
                self.message_user(request, f"{field}: {' '.join(problems)}", messages.ERROR)
            return None
        verb = "Edited and approved" if item.was_edited else "Approved"
        self.message_user(
            request, f"{verb} “{item.subject}”; it will be sent shortly.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:approvals_queueitem_changelist"))

    def reject_view(self, request, object_id):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST":
            form = SingleRejectForm(request.POST)
            if form.is_valid():
                try:
                    decisions.reject(
                        item,
                        actor=request.user,
                        category=form.cleaned_data["category"],
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"],
                    )
                except decisions.DecisionConflict as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    return HttpResponseRedirect(
                        reverse("admin:approvals_queueitem_change", args=[item.pk])
                    )
                except decisions.InvalidDecision as exc:
                    for field, problems in exc.errors.items():
                        form.add_error(field if field in form.fields else None, problems)
                else:
                    self.message_user(
                        request,
                        f"Rejected “{item.subject}” ({item.rejection_category.name}).",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:approvals_queueitem_changelist"))
        else:
            seen = request.GET.get("version", "")
            form = SingleRejectForm(
                initial={"version": int(seen) if seen.isdigit() else item.version}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reject “{item.subject}”",
            "item": item,
            "form": form,
            "change_url": reverse("admin:approvals_queueitem_change", args=[item.pk]),
        }
        return TemplateResponse(request, "admin/approvals/queueitem/reject.html", context)

    # --- actions ----------------------------------------------------------------------------
    def _report_conflicts(self, request, outcome) -> None:
        if outcome.conflicts:
            self.message_user(
                request,
                f"{outcome.conflicts} changed meanwhile and were left alone.",
                messages.WARNING,
            )

    @admin.action(
        description="Approve selected drafts (only those passing every check)",
        permissions=["decide"],
    )
    def approve_selected(self, request, queryset):
        outcome = decisions.bulk_approve(
            queryset.defer(None).select_related("lead"), actor=request.user
        )
        self.message_user(request, f"Approved {outcome.done} draft(s).", messages.SUCCESS)
        if outcome.skipped:
            self.message_user(
                request,
                f"Skipped {outcome.skipped}: bulk approve takes only pending drafts that pass "
                "every check; open the others one by one.",
                messages.WARNING,
            )
        self._report_conflicts(request, outcome)

    @admin.action(description="Reject selected drafts…", permissions=["decide"])
    def reject_selected(self, request, queryset):
        if "apply" in request.POST:
            form = RejectForm(request.POST)
            if form.is_valid():
                outcome = decisions.bulk_reject(
                    queryset.defer(None).select_related("lead"),
                    actor=request.user,
                    category=form.cleaned_data["category"],
                    reason=form.cleaned_data["reason"],
                )
                self.message_user(request, f"Rejected {outcome.done} draft(s).", messages.SUCCESS)
                if outcome.skipped:
                    self.message_user(
                        request,
                        f"Skipped {outcome.skipped} that were not pending.",
                        messages.WARNING,
                    )
                self._report_conflicts(request, outcome)
                return None
        else:
            form = RejectForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Reject selected drafts",
            "form": form,
            "items": queryset.select_related("lead"),
            "action": "reject_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/approvals/queueitem/reject_selected.html", context)

    @admin.action(description="Retry failed sends", permissions=["decide"])
    def retry_failed_sends(self, request, queryset):
        outcome = decisions.bulk_retry_failed(queryset.defer(None), actor=request.user)
        self.message_user(request, f"Re-queued {outcome.done} failed send(s).", messages.SUCCESS)
        if outcome.skipped:
            self.message_user(
                request, f"Skipped {outcome.skipped} that had not failed.", messages.WARNING
            )
        self._report_conflicts(request, outcome)
