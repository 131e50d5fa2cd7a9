"""The approval console in Django admin: the inbox, the audit records and the policy data."""

from approvals.admin import policy, queue, records  # noqa: F401  (registers the ModelAdmins)
