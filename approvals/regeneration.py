"""Hook run when a rejection category's policy is ``regenerate``.

``approvals.decisions.reject`` calls ``request_regeneration(item)`` after the rejection commits.
The agents part fills this in: it enqueues ``agents.tasks.draft_email(lead_id,
feedback_item_id=item.pk)``; the new draft is submitted with ``supersedes=item`` and the
rejection reason as feedback. Until then it only logs, so a rejection never fails because of it.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def request_regeneration(item) -> None:
    """Ask the drafting agent for a new version of ``item`` (a rejected QueueItem)."""
    from agents.tasks import draft_email

    logger.info(
        "regeneration requested for queue item %s (lead %s, category %s)",
        item.pk,
        item.lead_id,
        item.rejection_category_id,
    )
    draft_email.delay_on_commit(item.lead_id, feedback_item_id=item.pk)
