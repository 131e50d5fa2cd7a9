"""Who may read the queue and who may decide, via the approvals permissions."""

from rest_framework.permissions import BasePermission

from approvals.decisions import can_decide
from caio_site.permissions import HasPermission


class CanViewQueue(HasPermission):
    message = "You may not see the approval queue."
    permission = "approvals.view_queueitem"


class CanDecide(BasePermission):
    message = "Only the Head of Sales can approve or reject drafts."

    def has_permission(self, request, view):
        return can_decide(request.user)
