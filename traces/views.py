"""Admin-side pages of the traces app."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from traces.timeline import build_timeline


@staff_member_required
@permission_required("traces.view_traceenvelope", raise_exception=True)
def timeline(request, correlation_id: str):
    """Every span of one correlation id, indented by parent, with durations and errors."""
    context = {
        **admin.site.each_context(request),
        "title": f"Trace {correlation_id}",
        "timeline": build_timeline(correlation_id),
    }
    return render(request, "traces/timeline.html", context)
