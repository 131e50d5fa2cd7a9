"""approvals.suppression: address and domain entries, idempotent writes."""

import pytest

from approvals.choices import SuppressionReason, SuppressionSource
from approvals.models import Suppression
from approvals.suppression import suppress, suppression_for

pytestmark = pytest.mark.django_db

ADMIN = SuppressionSource.ADMIN


def test_an_address_entry_covers_only_that_address():
    suppress(email=" Ana@Example.com ", reason=SuppressionReason.UNSUBSCRIBED, source=ADMIN)

    assert suppression_for("ana@example.com") is not None
    assert suppression_for("ANA@example.com") is not None
    assert suppression_for("bob@example.com") is None


def test_a_domain_entry_covers_every_address_at_it():
    suppress(domain="@Rival.example", reason=SuppressionReason.COMPETITOR, source=ADMIN)

    assert suppression_for("ceo@rival.example").reason == SuppressionReason.COMPETITOR
    assert suppression_for("ceo@notrival.example") is None


def test_suppressing_twice_keeps_one_entry():
    first = suppress(email="a@b.example", reason=SuppressionReason.BOUNCED, source=ADMIN)
    second = suppress(email="a@b.example", reason=SuppressionReason.UNSUBSCRIBED, source=ADMIN)

    assert first.pk == second.pk
    assert Suppression.objects.count() == 1


@pytest.mark.parametrize("kwargs", [{}, {"email": "a@b.example", "domain": "b.example"}])
def test_it_needs_exactly_one_of_email_or_domain(kwargs):
    with pytest.raises(ValueError):
        suppress(**kwargs, reason=SuppressionReason.MANUAL, source=ADMIN)


def test_empty_input_is_never_suppressed():
    assert suppression_for("") is None
