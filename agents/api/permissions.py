"""Who may use the agents API (DESIGN section 4 groups)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS

from caio_site.permissions import InGroups


class LeadsAccess(InGroups):
    """API clients and operators submit leads and call-prep jobs; everyone in a group reads."""

    group_names = ("api_client", "operator", "head_of_sales", "viewer")
    write_groups = ("api_client", "operator")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or request.user.is_superuser:
            return True
        return request.user.groups.filter(name__in=self.write_groups).exists()
