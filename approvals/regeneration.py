"""Regeneration: what a ``regenerate`` rejection asks of the drafting agent.

``approvals.decisions.reject`` calls ``request_regeneration(item)`` after the rejection
commits. The approvals app sits below the agent workers and cannot import them, so the request
is a signal: the agents app connects its receiver in ``AgentsConfig.ready()`` and enqueues
``draft_email(lead_id, feedback_item_id=item.pk)``; the new draft is submitted with
``supersedes=item`` and the rejection reason as feedback.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent with ``item`` (the rejected QueueItem) once the rejection has committed.
regeneration_requested = Signal()


def request_regeneration(item) -> None:
    """Ask the drafting agent for a new version of ``item`` (a rejected QueueItem)."""
    logger.info(
        "regeneration requested for queue item %s (lead %s, category %s)",
        item.pk,
        item.lead_id,
        item.rejection_category_id,
    )
    if not regeneration_requested.send(sender=type(item), item=item):
        # No agent is listening (the agents app is not installed): the rejection stands and
        # the draft stays with a human.
        logger.warning("no receiver for the regeneration of queue item %s", item.pk)
