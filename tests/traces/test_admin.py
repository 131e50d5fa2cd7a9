"""Traces admin: a read-only, constant-query list and the timeline page per correlation id."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.traces.factories import TraceEnvelopeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/traces/traceenvelope/"
T0 = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def test_the_list_runs_the_same_queries_for_three_rows_or_thirty(client, viewer):
    client.force_login(viewer)
    for _ in range(3):
        TraceEnvelopeFactory()
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        assert client.get(CHANGELIST).status_code == 200
    for _ in range(27):
        TraceEnvelopeFactory(status="error", error_code="TIMEOUT")
    with CaptureQueriesContext(connection) as many:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(many) == len(few)
    assert response.content.count(b'class="field-timeline_link"') == 30


@pytest.mark.parametrize(
    "query",
    [
        "?status__exact=error",
        "?agent__exact=qualify",
        "?tool_name=crm.read_contact",
        "?error_code=TIMEOUT",
        "?timestamp__gte=2026-11-25+00%3A00%3A00%2B00%3A00",
        "?q=some-correlation-id",
    ],
)
def test_the_list_filters_answer(client, viewer, query):
    TraceEnvelopeFactory(status="error", error_code="TIMEOUT")
    client.force_login(viewer)
    assert client.get(CHANGELIST + query).status_code == 200


def test_envelopes_cannot_be_added_changed_or_deleted(client, operator):
    envelope = TraceEnvelopeFactory()
    client.force_login(operator)
    change_url = f"{CHANGELIST}{envelope.pk}/change/"
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(change_url, {"agent": "qualify"}).status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}{envelope.pk}/delete/", {"post": "yes"}).status_code == 403


def make_trace():
    step = TraceEnvelopeFactory(
        correlation_id="job-42", timestamp=T0, tool_name="step.draft_email", duration_ms=30.0
    )
    read = TraceEnvelopeFactory(
        correlation_id="job-42",
        timestamp=T0 + datetime.timedelta(milliseconds=2),
        parent_id=step.id,
        tool_name="crm.read_contact",
        duration_ms=5.0,
    )
    failed = TraceEnvelopeFactory(
        correlation_id="job-42",
        timestamp=T0 + datetime.timedelta(milliseconds=9),
        parent_id=step.id,
        tool_name="llm.generate",
        status="error",
        error_code="TIMEOUT",
        error_message="model took too long",
        duration_ms=20.0,
    )
    later_root = TraceEnvelopeFactory(
        correlation_id="job-42",
        timestamp=T0 + datetime.timedelta(milliseconds=40),
        tool_name="approvals.submit",
    )
    orphan = TraceEnvelopeFactory(
        correlation_id="job-42",
        timestamp=T0 + datetime.timedelta(milliseconds=1),
        parent_id=uuid.uuid4(),  # its parent was pruned or never arrived
        tool_name="enrich.lookup",
    )
    TraceEnvelopeFactory(correlation_id="another-job", tool_name="crm.other")
    return step, read, failed, later_root, orphan


def test_the_timeline_shows_spans_in_order_indented_under_their_parent(client, viewer):
    step, read, failed, later_root, orphan = make_trace()
    client.force_login(viewer)
    response = client.get(reverse("admin:traces_traceenvelope_timeline", args=["job-42"]))
    assert response.status_code == 200
    rows = response.context["timeline"].rows
    assert [(r.envelope.tool_name, r.depth) for r in rows] == [
        ("step.draft_email", 0),
        ("crm.read_contact", 1),
        ("llm.generate", 1),
        ("enrich.lookup", 0),
        ("approvals.submit", 0),
    ]
    assert [r.offset_ms for r in rows][:3] == [0.0, 2.0, 9.0]
    html = response.content.decode()
    assert "crm.other" not in html
    assert (
        html.index("step.draft_email") < html.index("crm.read_contact") < html.index("llm.generate")
    )
    assert f'class="failed" id="span-{failed.id}"' in html
    assert "model took too long" in html
    assert "TIMEOUT" in html


def test_the_timeline_runs_a_fixed_number_of_queries(client, viewer):
    make_trace()
    client.force_login(viewer)
    url = reverse("admin:traces_traceenvelope_timeline", args=["job-42"])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(20):
        TraceEnvelopeFactory(correlation_id="job-42", timestamp=T0 + datetime.timedelta(seconds=n))
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(first) == len(second)


def test_an_unknown_correlation_id_shows_an_empty_timeline(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("admin:traces_traceenvelope_timeline", args=["nothing-here"]))
    assert response.status_code == 200
    assert b"No envelopes for this correlation id" in response.content


def test_the_list_links_each_row_to_its_timeline(client, viewer):
    envelope = TraceEnvelopeFactory(correlation_id="linked-1")
    client.force_login(viewer)
    html = client.get(CHANGELIST).content.decode()
    assert reverse("admin:traces_traceenvelope_timeline", args=[envelope.correlation_id]) in html


def test_the_timeline_is_for_staff_with_the_view_permission(client, outsider):
    url = reverse("admin:traces_traceenvelope_timeline", args=["job-42"])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/admin/login/" in anonymous["Location"]
    client.force_login(outsider)  # not staff
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(username="staff-no-perm", is_staff=True))
    assert client.get(url).status_code == 403


def test_the_old_timeline_address_redirects_to_the_admin_view(client):
    response = client.get("/traces/timeline/job-42/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/traces/traceenvelope/timeline/job-42/"
