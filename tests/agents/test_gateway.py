"""The tool gateway: permissions, rate limit, timeout, retries, breaker, one envelope per call."""

from __future__ import annotations

import pytest
from django.core import mail

from agents import gateway
from agents.gateway import GatewayError, IntegrationPolicy
from caio_site.runtime.redis import RedisUnavailable, reset_state
from traces.models import TraceEnvelope

pytestmark = pytest.mark.django_db


def _only_envelope() -> TraceEnvelope:
    envelopes = list(TraceEnvelope.objects.all())
    assert len(envelopes) == 1
    return envelopes[0]


def test_an_allowed_call_returns_the_adapter_result_with_one_ok_envelope(without_redis):
    result = gateway.call(
        "qualify", "crm.lookup_account", domain="outreachly.example", refs=["lead:7"]
    )
    assert result["relationship"] == "competitor"
    envelope = _only_envelope()
    assert (envelope.agent, envelope.tool_name, envelope.status) == (
        "qualify",
        "crm.lookup_account",
        "ok",
    )
    assert envelope.error_code is None
    assert {"lead:7", "account:outreachly.example"} <= set(envelope.retrieved_context_refs)


def test_draft_email_may_never_send_email(without_redis):
    with pytest.raises(GatewayError) as raised:
        gateway.call("draft_email", "email.send", to="a@b.example", subject="s", body="b")
    assert raised.value.error_code == "PERMISSION_DENIED"
    assert mail.outbox == []
    envelope = _only_envelope()
    assert (envelope.status, envelope.error_code) == ("blocked", "PERMISSION_DENIED")


def test_an_unknown_tool_is_denied(without_redis):
    with pytest.raises(GatewayError) as raised:
        gateway.call("qualify", "crm.delete_everything")
    assert raised.value.error_code == "PERMISSION_DENIED"
    assert _only_envelope().status == "blocked"


def test_the_send_pipeline_sends_through_the_simulated_email_adapter(without_redis):
    result = gateway.call(
        "send_pipeline", "email.send", to="lead@example.com", subject="Hello", body="Body"
    )
    assert result == {"sent": True, "simulated": True, "source": "email:simulated"}
    assert [m.to for m in mail.outbox] == [["lead@example.com"]]
    assert _only_envelope().status == "ok"


def test_calls_beyond_the_integration_rate_limit_are_refused(without_redis, monkeypatch):
    monkeypatch.setitem(gateway.POLICIES, "crm", IntegrationPolicy(2, 60, 5.0))
    for _ in range(2):
        gateway.call("qualify", "crm.lookup_account", domain="acmeai.example")
    with pytest.raises(GatewayError) as raised:
        gateway.call("qualify", "crm.lookup_account", domain="acmeai.example")
    assert raised.value.error_code == "RATE_LIMITED"
    assert raised.value.retryable
    last = TraceEnvelope.objects.order_by("-timestamp").first()
    assert (last.status, last.error_code) == ("blocked", "RATE_LIMITED")


def test_a_slow_provider_times_out(without_redis, monkeypatch):
    monkeypatch.setitem(gateway.POLICIES, "enrichment", IntegrationPolicy(100, 60, 0.2))
    with pytest.raises(GatewayError) as raised:
        gateway.call("qualify", "enrichment.enrich_contact", domain="slowprovider.example")
    assert raised.value.error_code == "TIMEOUT"
    envelope = _only_envelope()
    assert (envelope.status, envelope.error_code) == ("error", "TIMEOUT")
    assert envelope.duration_ms < 2000


def test_a_failing_provider_is_retried_then_reported_once(without_redis):
    with pytest.raises(GatewayError) as raised:
        gateway.call("qualify", "enrichment.enrich_contact", domain="brokenprovider.example")
    assert raised.value.error_code == "ADAPTER_ERROR"
    assert "after 3 attempts" in str(raised.value)
    envelope = _only_envelope()
    assert (envelope.status, envelope.error_code) == ("error", "ADAPTER_ERROR")


def test_the_circuit_opens_after_repeated_failures_and_closes_after_a_good_trial(
    without_redis, monkeypatch
):
    monkeypatch.setattr(gateway, "RETRY_BACKOFF_SECONDS", 0)
    for _ in range(gateway.BREAKER_THRESHOLD):
        with pytest.raises(GatewayError):
            gateway.call("qualify", "enrichment.enrich_contact", domain="brokenprovider.example")
    with pytest.raises(GatewayError) as raised:
        gateway.call("qualify", "enrichment.enrich_contact", domain="acmeai.example")
    assert raised.value.error_code == "CIRCUIT_OPEN"
    last = TraceEnvelope.objects.order_by("-timestamp").first()
    assert (last.status, last.error_code) == ("blocked", "CIRCUIT_OPEN")

    breaker = gateway.breaker_for("enrichment")
    breaker.opened_at -= breaker.cooldown  # the cooldown has passed
    assert breaker.state == "half_open"
    result = gateway.call("qualify", "enrichment.enrich_contact", domain="acmeai.example")
    assert result["found"] is True
    assert breaker.state == "closed"


def test_a_live_integration_without_a_provider_fails_clearly(without_redis, settings):
    settings.INTEGRATION_MODES = {**settings.INTEGRATION_MODES, "crm": "live"}
    with pytest.raises(GatewayError) as raised:
        gateway.call("qualify", "crm.read_contact", email="x@acmeai.example")
    assert raised.value.error_code == "ADAPTER_ERROR"
    assert "not configured" in str(raised.value) or "no provider" in str(raised.value)
    assert gateway.breaker_for("crm").state == "closed"


@pytest.mark.slow
@pytest.mark.redis_server
def test_with_redis_required_and_down_the_gateway_refuses_clearly(redis_process, settings):
    settings.REDIS_URL = redis_process.url
    settings.REDIS_REQUIRED = True
    reset_state()
    gateway.call("qualify", "crm.lookup_account", domain="acmeai.example")
    redis_process.stop()
    with pytest.raises(RedisUnavailable, match="Redis"):
        gateway.call("qualify", "crm.lookup_account", domain="acmeai.example")
    last = TraceEnvelope.objects.order_by("-timestamp").first()
    assert (last.status, last.error_code) == ("error", "REDIS_UNAVAILABLE")


def test_a_replay_case_is_not_counted_against_the_production_rate_windows(monkeypatch):
    from traces.context import replay_context

    monkeypatch.setitem(gateway.POLICIES, "crm", IntegrationPolicy(1, 60, 5.0))
    gateway.call("qualify", "crm.read_contact", email="nobody@nowhere.example")
    with pytest.raises(gateway.GatewayError) as refused:
        gateway.call("qualify", "crm.read_contact", email="nobody@nowhere.example")
    assert refused.value.error_code == gateway.RATE_LIMITED

    with replay_context("CASE_1"):
        result = gateway.call("qualify", "crm.read_contact", email="nobody@nowhere.example")
    assert result is not None
