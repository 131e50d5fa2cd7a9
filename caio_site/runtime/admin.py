"""What every app's admin shares: the read-only base for system-written records and the link
from a correlation id to its trace timeline (an admin view of the traces app).

It lives in the bottom layer so every app may import it; the timeline is reached by its URL
name only, never by importing the traces app.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

TIMELINE_URL_NAME = "admin:traces_traceenvelope_timeline"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the system writes (jobs, events, runs, traces): listed and opened by holders of
    the view permission, never added, edited or deleted by hand."""

    # These tables only grow: no COUNT(*) of the whole table on every changelist.
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # Only the view permission counts (Django's default would also accept "change").
        codename = get_permission_codename("view", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")


def trace_timeline_url(correlation_id: str | None) -> str | None:
    """The admin timeline of ``correlation_id``; None when there is none (or it has a shape no
    URL can carry, e.g. an ingested id with a slash)."""
    if not correlation_id:
        return None
    try:
        return reverse(TIMELINE_URL_NAME, args=[correlation_id])
    except NoReverseMatch:
        return None


def trace_link(correlation_id: str | None, label: str | None = None) -> str:
    """A changelist/detail cell: the correlation id (or ``label``) linking to its timeline."""
    url = trace_timeline_url(correlation_id)
    if url is None:
        return correlation_id or "—"
    return format_html('<a href="{}">{}</a>', url, label or correlation_id)
