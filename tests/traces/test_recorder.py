"""traces.recorder: spans become envelopes, nest, fail, buffer and flush — never get lost."""

from __future__ import annotations

import uuid

import pytest

from caio_site.runtime.correlation import bind_correlation_id
from tests.traces.jsonl import read_jsonl
from traces.context import replay_context
from traces.models import TraceEnvelope
from traces.recorder import agent_step, record_tool, trace_scope

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "timestamp",
    "correlation_id",
    "case_id",
    "parent_id",
    "agent",
    "tool_name",
    "tool_input_summary",
    "tool_output_summary",
    "retrieved_context_refs",
    "status",
    "duration_ms",
    "error_code",
    "error_message",
    "schema_version",
}


class RateLimited(Exception):
    error_code = "RATE_LIMITED"


def test_a_tool_call_outside_any_scope_is_written_at_once():
    with (
        bind_correlation_id("req-1"),
        record_tool("draft_email", "crm.read_contact", input={"lead": 12}) as span,
    ):
        span.output = {"first_name": "Dana"}
        span.add_refs("lead:12", "standard:tier_1", "lead:12")
    row = TraceEnvelope.objects.get()
    assert row.correlation_id == "req-1"
    assert row.agent == "draft_email"
    assert row.tool_name == "crm.read_contact"
    assert row.tool_input_summary == '{"lead":12}'
    assert row.tool_output_summary == '{"first_name":"Dana"}'
    assert row.retrieved_context_refs == ["lead:12", "standard:tier_1"]
    assert row.status == "ok"
    assert row.error_code is None
    assert row.error_message is None
    assert row.case_id is None
    assert row.parent_id is None
    assert row.duration_ms >= 0
    assert row.schema_version == 1


def test_nested_spans_get_their_parent_and_steps_are_named_step_dot():
    with (
        trace_scope() as scope,
        agent_step("qualify", "score") as step,
        record_tool("qualify", "crm.read_company") as inner,
    ):
        pass
    by_tool = {e["tool_name"]: e for e in scope.envelopes}
    assert set(by_tool) == {"step.score", "crm.read_company"}
    assert by_tool["crm.read_company"]["parent_id"] == step.id
    assert by_tool["step.score"]["parent_id"] is None
    assert inner.parent_id == step.id
    assert set(scope.envelopes[0]) == FIELDS
    assert TraceEnvelope.objects.get(tool_name="crm.read_company").parent_id == uuid.UUID(step.id)


def test_an_exception_ends_the_span_as_error_and_is_re_raised():
    with pytest.raises(RateLimited), record_tool("qualify", "enrich.lookup"):
        raise RateLimited("slow down, token=abcdefgh12345")
    row = TraceEnvelope.objects.get()
    assert row.status == "error"
    assert row.error_code == "RATE_LIMITED"
    assert row.error_message == "slow down, token=[REDACTED:token]"


def test_an_exception_without_an_error_code_is_an_adapter_error():
    with pytest.raises(ValueError, match="boom"), record_tool("qualify", "enrich.lookup"):
        raise ValueError("boom")
    assert TraceEnvelope.objects.get().error_code == "ADAPTER_ERROR"


def test_the_scope_flushes_what_it_has_when_the_wrapped_code_raises():
    seen_inside = []

    def job():
        with trace_scope(hold=True):
            for n in range(3):
                with record_tool("pipeline_scan", "crm.list_deals", input={"page": n}):
                    pass
            seen_inside.append(TraceEnvelope.objects.count())
            raise RuntimeError("the job died")

    with pytest.raises(RuntimeError):
        job()
    assert seen_inside == [0]  # still buffered when it raised
    assert TraceEnvelope.objects.count() == 3


def test_fail_and_block_set_the_status_without_raising():
    with trace_scope() as scope:
        with record_tool("send_pipeline", "email.send") as span:
            span.block("PERMISSION_DENIED", "agent may not send")
        with record_tool("send_pipeline", "email.send") as span:
            span.fail("TIMEOUT", "provider took too long")
    assert [(e["status"], e["error_code"]) for e in scope.envelopes] == [
        ("blocked", "PERMISSION_DENIED"),
        ("error", "TIMEOUT"),
    ]


def test_a_scope_flushes_every_trace_flush_every_envelopes(settings):
    settings.TRACE_FLUSH_EVERY = 3
    with trace_scope():
        for _ in range(4):
            with record_tool("qualify", "crm.read_contact"):
                pass
        assert TraceEnvelope.objects.count() == 3
    assert TraceEnvelope.objects.count() == 4


def test_a_held_scope_writes_only_when_it_exits(settings):
    settings.TRACE_FLUSH_EVERY = 2
    with trace_scope(hold=True) as scope:
        for _ in range(5):
            with record_tool("qualify", "crm.read_contact"):
                pass
        with record_tool("qualify", "crm.read_contact") as span:
            span.fail("ADAPTER_ERROR", "x")
        assert TraceEnvelope.objects.count() == 0
    assert TraceEnvelope.objects.count() == len(scope.envelopes) == 6


def test_a_failed_span_is_written_at_once_in_an_ordinary_scope():
    with trace_scope():
        with record_tool("qualify", "crm.read_contact"):
            pass
        with record_tool("qualify", "crm.read_contact") as span:
            span.fail("ADAPTER_ERROR", "x")
        assert TraceEnvelope.objects.count() == 2


def test_an_inner_scope_reports_to_the_outer_one_which_alone_writes():
    with trace_scope(hold=True) as outer:
        with trace_scope() as inner, record_tool("call_prep", "calendar.read"):
            pass
        assert len(inner.envelopes) == 1
        assert TraceEnvelope.objects.count() == 0
    assert outer.envelopes == inner.envelopes
    assert TraceEnvelope.objects.count() == 1


def test_scope_outputs_are_the_redacted_objects_in_order():
    with trace_scope() as scope:
        with record_tool("draft_email", "llm.generate") as span:
            span.output = {"subject": "Hi", "api_key": "k-123456789"}
        with record_tool("draft_email", "crm.read_contact"):
            pass
    assert scope.outputs == [{"subject": "Hi", "api_key": "[REDACTED:api_key]"}, None]
    assert scope.envelopes[0]["tool_output_summary"] == (
        '{"api_key":"[REDACTED:api_key]","subject":"Hi"}'
    )


def test_replay_context_stamps_the_case_and_a_fresh_correlation_id():
    with bind_correlation_id("outer-request"):
        with replay_context("golden-7") as correlation_id, record_tool("qualify", "crm.read"):
            pass
        row = TraceEnvelope.objects.get()
    assert row.case_id == "golden-7"
    assert row.correlation_id == correlation_id != "outer-request"


def test_the_decorator_records_each_call_with_its_return_value_as_output():
    @record_tool("qualify", "icp.score", input={"model": "v1"})
    def score(lead_id):
        if lead_id < 0:
            raise ValueError("negative lead")
        return {"lead": lead_id, "score": 80}

    assert score(3) == {"lead": 3, "score": 80}
    with pytest.raises(ValueError, match="negative"):
        score(-1)
    rows = list(TraceEnvelope.objects.order_by("timestamp"))
    assert [r.status for r in rows] == ["ok", "error"]
    assert rows[0].tool_output_summary == '{"lead":3,"score":80}'
    assert rows[0].tool_input_summary == '{"model":"v1"}'
    assert rows[0].id != rows[1].id


def test_context_refs_are_capped_at_one_hundred():
    with record_tool("pipeline_scan", "crm.list_deals") as span:
        span.add_refs(*(f"deal:{n}" for n in range(150)))
    assert len(TraceEnvelope.objects.get().retrieved_context_refs) == 100


def test_recording_is_a_no_op_when_disabled(settings, jsonl_path):
    settings.TRACE_ENVELOPE_ENABLED = False
    with trace_scope() as scope, record_tool("qualify", "crm.read") as span:
        span.output = {"x": 1}
        span.add_refs("lead:1")
        span.fail("TIMEOUT", "late")
    assert scope.envelopes == []
    assert TraceEnvelope.objects.count() == 0
    assert read_jsonl(jsonl_path) == []


def test_the_jsonl_sink_gets_the_same_envelopes_as_the_database(jsonl_path):
    with trace_scope(), bind_correlation_id("job-9"):
        for n in range(3):
            with record_tool("qualify", "crm.read_contact", input={"n": n}):
                pass
    lines = read_jsonl(jsonl_path)
    assert [line["tool_input_summary"] for line in lines] == ['{"n":0}', '{"n":1}', '{"n":2}']
    assert {line["id"] for line in lines} == {
        str(i) for i in TraceEnvelope.objects.values_list("id", flat=True)
    }
    assert all(set(line) == FIELDS and line["correlation_id"] == "job-9" for line in lines)


@pytest.mark.django_db(transaction=True)
def test_envelopes_written_in_a_transaction_that_rolls_back_are_written_again(jsonl_path):
    from django.db import transaction

    def job():
        with transaction.atomic():
            with record_tool("draft_email", "llm.generate") as span:
                span.fail("TIMEOUT", "model too slow")  # flushed at once, inside the transaction
            with record_tool("draft_email", "crm.read_contact"):
                pass
            raise RuntimeError("the job's transaction rolls back")

    with pytest.raises(RuntimeError), trace_scope():
        job()
    rows = sorted(TraceEnvelope.objects.values_list("tool_name", "status"))
    assert rows == [("crm.read_contact", "ok"), ("llm.generate", "error")]
    assert len(read_jsonl(jsonl_path)) == 2  # the file is never written twice


@pytest.mark.django_db(transaction=True)
def test_envelopes_of_a_committed_transaction_are_not_written_twice(caplog):
    from django.db import transaction

    with trace_scope():
        with transaction.atomic(), record_tool("draft_email", "llm.generate") as span:
            span.fail("TIMEOUT", "model too slow")
        with record_tool("draft_email", "crm.read_contact"):
            pass
    assert TraceEnvelope.objects.count() == 2
    assert "trace sink" not in caplog.text  # a second write would fail on the primary key


def test_nul_characters_in_free_text_do_not_cost_the_envelope():
    # PostgreSQL text columns refuse NUL; a COPY batch with one would fail as a whole.
    with trace_scope(hold=True):
        for n in range(25):  # enough for the COPY path on PostgreSQL
            with record_tool("qualify", "crm.read_contact") as span:
                span.add_refs(f"lead:{n}\x00")
                span.output = {"raw": "a\x00b"}
                span.fail("ADAPTER_ERROR", "bad byte \x00 in reply")
    rows = list(TraceEnvelope.objects.all())
    assert len(rows) == 25
    assert rows[0].error_message == "bad byte \ufffd in reply"
    assert rows[0].tool_output_summary == '{"raw":"a\\u0000b"}'
