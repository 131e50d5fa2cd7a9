"""caio_site.runtime.admin: the read-only base of system-written records and the trace link."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from caio_site.runtime.admin import trace_link, trace_timeline_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RUNS = "/admin/caio_site/schedulerrun/"


def test_a_correlation_id_links_to_its_admin_timeline():
    assert trace_timeline_url("job-42") == "/admin/traces/traceenvelope/timeline/job-42/"
    assert trace_link("job-42") == (
        '<a href="/admin/traces/traceenvelope/timeline/job-42/">job-42</a>'
    )
    assert trace_link("job-42", "timeline").endswith(">timeline</a>")


@pytest.mark.parametrize(("correlation_id", "shown"), [("", "—"), (None, "—"), ("a/b", "a/b")])
def test_no_link_without_an_id_or_for_an_id_no_url_can_carry(correlation_id, shown):
    assert trace_timeline_url(correlation_id) is None
    assert trace_link(correlation_id) == shown


def test_system_records_are_shown_only_to_holders_of_the_view_permission(client):
    user = UserFactory(username="changer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_schedulerrun"))
    client.force_login(user)
    assert client.get(RUNS).status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="view_schedulerrun"))
    assert client.get(RUNS).status_code == 200
    assert client.get(f"{RUNS}add/").status_code == 403
