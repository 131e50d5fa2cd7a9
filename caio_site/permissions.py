"""The API's permission class: a permission of ``caio_site.roles`` per endpoint, checked with
``has_perm`` (superusers hold every permission)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


class HasPermission(BasePermission):
    """Allows authenticated users holding ``permission`` (``app_label.codename``); when
    ``write_permission`` is set, unsafe methods need that one instead. Subclass to name them."""

    permission: str = ""
    write_permission: str = ""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        needed = self.permission
        if self.write_permission and request.method not in SAFE_METHODS:
            needed = self.write_permission
        return user.has_perm(needed)


class CanViewRuntimeDetail(HasPermission):
    """Runtime detail is for the people who run the system, not for API clients or viewers."""

    permission = "caio_site.view_runtime_detail"
