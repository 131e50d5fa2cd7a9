"""Who may use the traces API: readers need ``traces.view_traceenvelope`` (head of sales,
operators, viewers, API clients); posting batches needs ``traces.add_traceenvelope`` (API
clients, i.e. external agents, and superusers). Who holds them: caio_site.roles."""

from rest_framework.permissions import BasePermission


class TracePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "action", None) == "batch":
            return user.has_perm("traces.add_traceenvelope")
        return user.has_perm("traces.view_traceenvelope")
