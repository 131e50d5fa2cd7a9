"""/api/v1/rejection-categories/: the taxonomy with policies."""

import pytest

from approvals.models import RejectionCategory

pytestmark = pytest.mark.django_db


def test_it_lists_the_active_categories_with_policy_and_examples(api_as, api_client_user):
    RejectionCategory.objects.filter(key="other").update(active=False)

    body = api_as(api_client_user).get("/api/v1/rejection-categories/").json()

    keys = [row["key"] for row in body]
    assert "other" not in keys
    assert len(keys) == 11
    icp = next(row for row in body if row["key"] == "icp_mismatch")
    assert icp["policy"] == "suppress_lead"
    assert len(icp["examples"]) >= 5


def test_outsiders_cannot_read_it(api_as, outsider):
    assert api_as(outsider).get("/api/v1/rejection-categories/").status_code == 403
