"""traces.demo: idempotent, and its secrets are redacted like any other."""

from io import StringIO

import pytest

from traces.demo import DEMO_CORRELATION_ID, seed
from traces.models import TraceEnvelope

pytestmark = pytest.mark.django_db


def test_seeding_twice_stores_the_demo_trace_once():
    out = StringIO()
    seed(stdout=out)
    seed(stdout=out)
    rows = TraceEnvelope.objects.filter(correlation_id=DEMO_CORRELATION_ID)
    assert rows.count() == 3
    assert "demo-not-stored" not in "".join(rows.values_list("tool_input_summary", flat=True))
    assert "3 demo envelopes added" in out.getvalue()
    assert "0 demo envelopes added" in out.getvalue()
