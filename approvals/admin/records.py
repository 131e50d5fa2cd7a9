"""System-written records (read-only) and the suppression list."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction

from approvals import decisions
from approvals.models import QueueEvent, SentMessage, Suppression, WebhookEvent
from caio_site.runtime.admin import ReadOnlyAdmin


@admin.register(QueueEvent)
class QueueEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "item", "event_type", "from_status", "to_status", "actor")
    list_select_related = ("item", "actor")
    list_filter = ("event_type", "to_status")
    search_fields = ("item__subject", "item__lead__email")
    # Newest first by primary key: the events table is the largest and pk order is free.
    ordering = ("-id",)
    raw_id_fields = ("item",)


@admin.register(SentMessage)
class SentMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "to_email",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "opened_at",
    )
    list_select_related = ("item",)
    list_filter = ("status",)
    search_fields = ("to_email", "subject", "message_id")
    ordering = ("-id",)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "event_type", "email", "outcome")
    list_filter = ("provider", "event_type")
    search_fields = ("email", "event_id")
    ordering = ("-id",)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "reason", "source", "created_at")
    list_filter = ("reason", "source")
    search_fields = ("email", "domain")
    fields = ("email", "domain", "reason", "source", "note")

    def save_model(self, request, obj, form, change):
        # An entry added or edited by hand stops contact exactly as an unsubscribe does: the
        # row and its consequences commit together, through the domain function.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            cancelled = decisions.enforce_suppression(obj, actor=request.user)
        if cancelled:
            self.message_user(
                request,
                f"Cancelled {cancelled} open queue item(s) of the suppressed recipient(s).",
                messages.WARNING,
            )
