"""X-Correlation-ID round trip through the middleware."""

from caio_site.runtime.correlation import HEADER, correlation_id_var


def test_a_valid_caller_id_is_echoed(client, db):
    response = client.get("/api/health/live/", HTTP_X_CORRELATION_ID="req-42.abc:1")
    assert response[HEADER] == "req-42.abc:1"


def test_an_absent_id_is_generated(client, db):
    first = client.get("/api/health/live/")[HEADER]
    second = client.get("/api/health/live/")[HEADER]
    assert len(first) == 32
    assert first != second


def test_an_invalid_id_is_replaced_not_echoed(client, db):
    response = client.get("/api/health/live/", HTTP_X_CORRELATION_ID="bad id; <script>")
    assert response[HEADER] != "bad id; <script>"
    assert len(response[HEADER]) == 32


def test_the_id_is_unbound_after_the_request(client, db):
    client.get("/api/health/live/", HTTP_X_CORRELATION_ID="scoped-id")
    assert correlation_id_var.get() != "scoped-id"


def test_an_error_response_carries_the_id_too(client, db):
    response = client.get("/api/v1/runtime/dependencies/", HTTP_X_CORRELATION_ID="denied-1")
    assert response.status_code == 401
    assert response[HEADER] == "denied-1"
