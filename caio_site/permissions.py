"""API permission classes by group (DESIGN section 4 groups)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission


class InGroups(BasePermission):
    """Allows superusers and members of ``group_names``; subclass to name the groups."""

    group_names: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        return user.groups.filter(name__in=self.group_names).exists()


class IsOperatorOrHeadOfSales(InGroups):
    """Runtime detail is for the people who run the system, not for API clients or viewers."""

    group_names = ("operator", "head_of_sales")
