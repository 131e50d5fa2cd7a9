"""The Head of Sales' inbox: the QueueItem changelist, change page and decisions."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from approvals import decisions, sla
from approvals.admin.filters import AgentFilter, RubricStateFilter, SlaStateFilter, StatusFilter
from approvals.admin.forms import DraftDecisionForm, RejectForm, SingleRejectForm
from approvals.choices import (
    NEUTRAL_COLOUR,
    RUBRIC_STATE_COLOURS,
    SLA_STATE_COLOURS,
    QueueStatus,
)
from approvals.models import PENDING_FIRST, QueueEvent, QueueItem, SlaPolicy
from caio_site.runtime.admin import trace_timeline_url

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


DRAFT_FIELDSET = ("Draft", {"fields": ("subject", "body")})
DETAILS_FIELDSET = (
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
)


def _age(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"


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
    fieldsets = (DRAFT_FIELDSET, DETAILS_FIELDSET)

    # --- permissions ------------------------------------------------------------------------
    def has_add_permission(self, request):
        return False  # drafts come from the agents through approvals.queue.submit

    def has_delete_permission(self, request, obj=None):
        return False  # the queue is an audit trail

    def has_change_permission(self, request, obj=None):
        # Never saved as a plain edit: the change page shows the item, and the Head of Sales'
        # edits reach the database only through a decision (the views of get_urls).
        return False

    def has_decide_permission(self, request):
        return decisions.can_decide(request.user)

    def _decidable(self, request, item) -> bool:
        return (
            item is not None
            and item.status == QueueStatus.PENDING
            and self.has_decide_permission(request)
        )

    def get_fieldsets(self, request, obj=None):
        if self._decidable(request, obj):
            return (DETAILS_FIELDSET,)  # the decision form shows the draft, editable
        return self.fieldsets

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
        colour = SLA_STATE_COLOURS.get(getattr(item, "sla_state", ""), NEUTRAL_COLOUR)
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
            RUBRIC_STATE_COLOURS.get(item.rubric_state, NEUTRAL_COLOUR),
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

    # --- change page and decisions -------------------------------------------------------
    def get_urls(self):
        def decision(route, view, name):
            return path(
                f"<path:object_id>/{route}/",
                self.admin_site.admin_view(view),
                name=f"approvals_queueitem_{name}",
            )

        return [
            decision("approve", self.approve_view, "approve"),
            decision("approve-edits", self.approve_edits_view, "approve_edits"),
            decision("reject", self.reject_view, "reject"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        decision_form = None
        if self._decidable(request, obj):
            decision_form = DraftDecisionForm(
                initial={"version": obj.version, "subject": obj.subject, "body": obj.body}
            )
        context.update(self._context(request, obj, decision_form))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _context(self, request, item, decision_form=None) -> dict:
        """The panels around the draft (change page and refused decisions) and the decision
        form with the URLs its buttons post to."""
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
            "decision_form": decision_form,
            "approve_url": reverse("admin:approvals_queueitem_approve", args=[item.pk]),
            "approve_edits_url": reverse("admin:approvals_queueitem_approve_edits", args=[item.pk]),
            "reject_url": reverse("admin:approvals_queueitem_reject", args=[item.pk]),
            "change_url": reverse("admin:approvals_queueitem_change", args=[item.pk]),
            "rejection_history": history,
            "events": events,
            "trace_url": trace_timeline_url(item.correlation_id),
            "sent_message": getattr(item, "sent_message", None),
            "payload_json": json.dumps(item.payload, indent=2, ensure_ascii=False)
            if item.payload
            else "",
        }

    def approve_view(self, request, object_id):
        """The "Approve" button: approve the version reviewed, as it was drafted."""
        return self._approve(request, object_id, with_edits=False)

    def approve_edits_view(self, request, object_id):
        """The "Save edits and approve" button: approve the text as typed."""
        return self._approve(request, object_id, with_edits=True)

    def _approve(self, request, object_id, *, with_edits: bool):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = DraftDecisionForm(request.POST)
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            edited = (subject, body) != (item.subject, item.body)
            if edited and not with_edits:
                self.message_user(
                    request,
                    "You changed the draft: use “Save edits and approve” to send your version.",
                    messages.WARNING,
                )
            else:
                try:
                    decisions.approve(
                        item,
                        actor=request.user,
                        expected_version=form.cleaned_data["version"],
                        subject=subject if with_edits else None,
                        body=body if with_edits else None,
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
                    verb = "Edited and approved" if item.was_edited else "Approved"
                    self.message_user(
                        request,
                        f"{verb} “{item.subject}”; it will be sent shortly.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:approvals_queueitem_changelist"))
        # Refused: the draft again, with what was typed and why.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Approve “{item.subject}”",
            **self._context(request, item, form),
        }
        return TemplateResponse(request, "admin/approvals/queueitem/approve.html", context)

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
