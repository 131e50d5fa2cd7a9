"""agents.leads.transition_status: the one conditional UPDATE every lead status change uses."""

from __future__ import annotations

import pytest

from agents.choices import BEFORE_CONTACT_STATUSES, LeadStatus
from agents.leads import transition_status
from agents.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "moved"),
    [
        (LeadStatus.NEW, True),
        (LeadStatus.QUALIFIED, True),
        (LeadStatus.REPLIED, False),
        (LeadStatus.MEETING_BOOKED, False),
        (LeadStatus.UNSUBSCRIBED, False),
    ],
)
def test_allowed_from_narrows_the_move_to_those_statuses(start, moved):
    lead = LeadFactory(status=start)
    before = Lead.objects.get(pk=lead.pk).updated_at

    changed = transition_status(lead.pk, LeadStatus.CONTACTED, allowed_from=BEFORE_CONTACT_STATUSES)

    lead.refresh_from_db()
    assert changed is moved
    assert lead.status == (LeadStatus.CONTACTED if moved else start)
    assert (lead.updated_at > before) is moved


def test_a_terminal_status_is_left_only_by_force_even_when_allowed():
    lead = LeadFactory(status=LeadStatus.UNSUBSCRIBED)
    terminal = {LeadStatus.UNSUBSCRIBED}
    assert not transition_status(lead.pk, LeadStatus.BOUNCED, allowed_from=terminal)
    assert transition_status(lead.pk, LeadStatus.BOUNCED, allowed_from=terminal, force=True)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.BOUNCED
