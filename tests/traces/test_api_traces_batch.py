"""POST /api/v1/traces/batch/"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.factories import UserFactory
from tests.traces.jsonl import read_jsonl
from traces.models import TraceEnvelope

pytestmark = pytest.mark.django_db

URL = "/api/v1/traces/batch/"


def item(**overrides) -> dict:
    body = {
        "timestamp": "2026-11-26T09:00:00Z",
        "correlation_id": "ext-run-1",
        "agent": "external",
        "tool_name": "crm.read_contact",
        "tool_input_summary": {"lead": 12},
        "tool_output_summary": '{"first_name": "Dana"}',
        "retrieved_context_refs": ["lead:12"],
        "status": "ok",
        "duration_ms": 12.5,
    }
    body.update(overrides)
    return body


def post(client, envelopes):
    return client.post(URL, {"envelopes": envelopes}, format="json")


def test_an_api_client_stores_a_batch(api_as, api_client_user, jsonl_path):
    given = uuid.uuid4()
    response = post(
        api_as(api_client_user),
        [item(id=str(given)), item(status="error", error_code="TIMEOUT", error_message="late")],
    )
    assert response.status_code == 201
    body = response.json()
    assert body["received"] == body["stored"] == 2
    assert body["ids"][0] == str(given)
    row = TraceEnvelope.objects.get(id=given)
    assert row.tool_input_summary == '{"lead":12}'
    assert row.tool_output_summary == '{"first_name":"Dana"}'
    assert row.retrieved_context_refs == ["lead:12"]
    assert TraceEnvelope.objects.get(status="error").error_code == "TIMEOUT"
    assert {line["id"] for line in read_jsonl(jsonl_path)} == set(body["ids"])


def test_posted_text_is_redacted_and_cut(api_as, api_client_user):
    response = post(
        api_as(api_client_user),
        [
            item(
                tool_input_summary={"headers": {"Authorization": "Bearer abcdefghijklmnop1234"}},
                tool_output_summary="x" * 900 + " password=hunter2hunter2",
                status="error",
                error_code="ADAPTER_ERROR",
                error_message="failed for postgres://svc:pw-in-url-77@db/crm",
            )
        ],
    )
    assert response.status_code == 201
    row = TraceEnvelope.objects.get()
    assert "abcdefghijklmnop1234" not in row.tool_input_summary
    assert len(row.tool_output_summary) == 500
    assert "hunter2hunter2" not in row.tool_output_summary
    assert row.error_message == "failed for postgres://svc:[REDACTED:password]@db/crm"


def test_a_superuser_may_post(api_as):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert post(api_as(admin), [item()]).status_code == 201


@pytest.mark.parametrize("who", ["viewer", "operator", "outsider"])
def test_people_who_only_read_may_not_post(api_as, request, who):
    response = post(api_as(request.getfixturevalue(who)), [item()])
    assert response.status_code == 403
    assert TraceEnvelope.objects.count() == 0


def test_bad_items_are_named_by_their_index_and_nothing_is_stored(api_as, api_client_user):
    response = post(
        api_as(api_client_user),
        [
            item(),
            item(status="done"),
            item(),
            "not an object",
            item(tool_name="no-dot", duration_ms=-1),
            item(status="ok", error_code="TIMEOUT"),
            item(status="blocked"),
            item(agent="mystery"),
        ],
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    errors = body["errors"]["envelopes"]
    assert set(errors) == {"1", "3", "4", "5", "6", "7"}
    assert "status" in errors["1"]
    assert set(errors["4"]) == {"tool_name", "duration_ms"}
    assert "error_code" in errors["5"]
    assert "error_code" in errors["6"]
    assert "agent" in errors["7"]
    assert TraceEnvelope.objects.count() == 0


def test_more_than_one_thousand_envelopes_are_refused(api_as, api_client_user):
    response = post(api_as(api_client_user), [item() for _ in range(1001)])
    assert response.status_code == 400
    assert "At most 1000" in response.json()["errors"]["envelopes"][0]
    assert TraceEnvelope.objects.count() == 0


def test_exactly_one_thousand_envelopes_are_accepted(api_as, api_client_user):
    response = post(api_as(api_client_user), [item() for _ in range(1000)])
    assert response.status_code == 201
    assert TraceEnvelope.objects.count() == 1000


@pytest.mark.parametrize(
    "payload",
    [{}, {"envelopes": []}, {"envelopes": "x"}, [item()], {"envelopes": None}],
)
def test_a_body_without_a_list_of_envelopes_is_a_400(api_as, api_client_user, payload):
    response = api_as(api_client_user).post(URL, payload, format="json")
    assert response.status_code == 400
    assert "envelopes" in response.json()["errors"]


def test_malformed_json_is_a_400(api_as, api_client_user):
    response = api_as(api_client_user).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_a_retried_batch_stores_nothing_twice(api_as, api_client_user):
    batch = [item(id=str(uuid.uuid4())) for _ in range(3)]
    client = api_as(api_client_user)
    assert post(client, batch).json()["stored"] == 3
    again = post(client, batch)
    assert again.status_code == 201
    assert again.json()["stored"] == 0
    assert TraceEnvelope.objects.count() == 3


def test_a_repeated_id_inside_one_batch_is_refused(api_as, api_client_user):
    same = str(uuid.uuid4())
    response = post(api_as(api_client_user), [item(id=same), item(id=same)])
    assert response.status_code == 400
    assert set(response.json()["errors"]["envelopes"]) == {"1"}


def test_an_identifier_carrying_a_credential_is_refused(api_as, api_client_user):
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop"
    response = post(api_as(api_client_user), [item(correlation_id=jwt)])
    assert response.status_code == 400
    assert "correlation_id" in response.json()["errors"]["envelopes"]["0"]
    assert jwt not in json.dumps(response.json())


def test_non_finite_durations_are_refused(api_as, api_client_user):
    response = post(api_as(api_client_user), [item(duration_ms="nan")])
    assert response.status_code == 400


def test_a_body_over_the_upload_limit_is_a_json_413(api_as, api_client_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    response = post(api_as(api_client_user), [item(tool_input_summary="x" * 3000)] * 100)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert TraceEnvelope.objects.count() == 0
