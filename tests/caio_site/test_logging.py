"""Structured logging: LOG_FORMAT=json writes one parseable JSON object per record, carrying
the correlation id of the request or job that logged."""

import json
import logging
import logging.config

import pytest

from caio_site.runtime.correlation import bind_correlation_id


@pytest.fixture
def json_logging(settings):
    """The LOGGING of settings.py with the json formatter, writing into a buffer."""
    import io

    stream = io.StringIO()
    config = {
        **settings.LOGGING,
        "handlers": {
            "default": {
                **settings.LOGGING["handlers"]["default"],
                "formatter": "json",
                "stream": stream,
            }
        },
    }
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def test_json_lines_carry_the_correlation_id(json_logging):
    with bind_correlation_id("cid-json-1"):
        logging.getLogger("caio_site.test").warning("queued %s", "lead:7", extra={"lead_id": 7})
    record = json.loads(json_logging.getvalue().strip().splitlines()[-1])
    assert record["message"] == "queued lead:7"
    assert record["correlation_id"] == "cid-json-1"
    assert record["level"] == "WARNING"
    assert record["logger"] == "caio_site.test"
    assert record["lead_id"] == 7


def test_an_exception_is_logged_with_its_traceback(json_logging):
    with bind_correlation_id("cid-json-2"):
        try:
            raise ValueError("broken")
        except ValueError:
            logging.getLogger("caio_site.test").exception("it failed")
    record = json.loads(json_logging.getvalue().strip().splitlines()[-1])
    assert record["correlation_id"] == "cid-json-2"
    assert "ValueError: broken" in record["exc_info"]


def test_a_request_logs_under_its_correlation_id(json_logging, client, db):
    client.get("/api/v1/runtime/dependencies/", HTTP_X_CORRELATION_ID="cid-request-3")
    lines = [json.loads(line) for line in json_logging.getvalue().splitlines()]
    unauthorized = [r for r in lines if r["logger"] == "django.request"]
    assert unauthorized
    assert unauthorized[-1]["correlation_id"] == "cid-request-3"
