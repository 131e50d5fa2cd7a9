"""Who may use the agents API (the permissions of caio_site.roles)."""

from __future__ import annotations

from caio_site.permissions import HasPermission


class LeadsAccess(HasPermission):
    """Readers of leads see them; API clients and operators submit them (create or update)."""

    permission = "agents.view_lead"
    write_permission = "agents.submit_lead"


class CallPrepAccess(HasPermission):
    """Readers of call-prep jobs see them; API clients and operators request them."""

    permission = "agents.view_callprepjob"
    write_permission = "agents.add_callprepjob"
