"""manage.py prune_traces"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.factories import UserFactory
from tests.traces.factories import TraceEnvelopeFactory
from traces.models import TraceEnvelope
from traces.retention import hold

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)


def run(*args) -> str:
    out = StringIO()
    call_command("prune_traces", *args, stdout=out)
    return out.getvalue()


def at(days: float, **kwargs):
    return TraceEnvelopeFactory(timestamp=NOW - datetime.timedelta(days=days), **kwargs)


@time_machine.travel(NOW, tick=False)
def test_it_deletes_old_envelopes_and_reports_the_held_ones():
    at(20)
    at(40)
    at(50, correlation_id="kept")
    hold(correlation_id="kept", holder=UserFactory(username="h"))
    output = run("--days", "14")
    assert "Deleted 2 envelopes older than 14 days" in output
    assert "1 held ones kept" in output
    assert TraceEnvelope.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_dry_run_deletes_nothing(settings):
    settings.TRACE_RETENTION_DAYS = 30
    at(40)
    output = run("--dry-run")
    assert "Dry run: 1 envelopes older than 30 days" in output
    assert TraceEnvelope.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--days", "0"], "--days"), (["--batch-size", "0"], "--batch-size")],
)
def test_bad_arguments_are_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_non_number_is_a_command_error():
    with pytest.raises(CommandError):
        run("--days", "soon")
