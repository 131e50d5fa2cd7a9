"""evaluation.escalations: the rules, daily deduplication, notification, ack/resolve."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from approvals.choices import QueueStatus
from caio_site.runtime import redis as shared_redis
from evaluation import escalations
from evaluation.choices import CaseOutcome, EscalationRule, EscalationStatus, Severity
from evaluation.escalations import (
    EscalationConflict,
    acknowledge,
    check_escalations,
    resolve,
)
from evaluation.models import Escalation
from tests.evaluation.factories import ReplayRunFactory
from tests.evaluation.ops_helpers import aged_item, judged
from traces.models import TraceHold

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class _SlackHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(
            {"path": self.path, "type": self.headers["Content-Type"], "body": json.loads(body)}
        )
        self.send_response(self.server.answer)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format, *args):  # keep pytest output clean
        pass


@pytest.fixture
def slack(settings):
    """A Slack incoming-webhook stand-in on 127.0.0.1 (the network edge), wired into settings."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlackHandler)
    server.received = []
    server.answer = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SLACK_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/services/T000/B000/x"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _quiet_rules(settings):
    """Only the rule a test sets up may fire: dependencies not required, Redis state fresh."""
    settings.REDIS_REQUIRED = False
    settings.INNGEST_REQUIRED = False
    settings.SLACK_WEBHOOK_URL = ""
    settings.OPS_NOTIFICATION_EMAILS = ["ops@caio.example"]
    shared_redis.reset_state()
    yield
    shared_redis.reset_state()


def _raised_rules(result) -> list[str]:
    return [entry["rule"] for entry in result["raised"]]


# --- rules -------------------------------------------------------------------------------------
def test_nothing_is_raised_when_every_rule_is_clear():
    ReplayRunFactory(total=20, passed=20, pass_rate=1.0)
    result = check_escalations()
    assert result["raised"] == []
    assert sorted(result["clear"]) == sorted(EscalationRule.values)
    assert not Escalation.objects.exists()


def test_a_latest_pass_rate_below_95_percent_raises():
    ReplayRunFactory(pass_rate=1.0, started_at=DAY - timedelta(days=1))
    run = ReplayRunFactory(total=20, passed=18, pass_rate=0.9)
    judged(run, groundedness=4, case_id="QUAL_007", correlation_id="corr-qual-7")
    assert _raised_rules(check_escalations()) == [EscalationRule.REPLAY_PASS_RATE]
    escalation = Escalation.objects.get()
    assert escalation.severity == Severity.MAJOR
    assert escalation.title == f"Replay #{run.pk} (set@v1) passed 90.0% < 95%"
    assert escalation.detail["failed_cases"] == ["QUAL_007"]
    assert escalation.detail["pass_rate"] == 0.9


def test_an_older_failing_run_does_not_raise_once_a_newer_one_passes():
    ReplayRunFactory(pass_rate=0.5, started_at=DAY - timedelta(days=1))
    ReplayRunFactory(pass_rate=0.95)
    assert check_escalations()["raised"] == []


def test_a_groundedness_hard_fail_in_the_latest_run_raises_and_holds_its_traces():
    run = ReplayRunFactory(total=10, passed=10, pass_rate=1.0)
    judged(run, groundedness=2, case_id="DRAFT_003", correlation_id="corr-draft-3")
    judged(run, groundedness=3, case_id="DRAFT_004", correlation_id="corr-draft-4")
    assert _raised_rules(check_escalations()) == [EscalationRule.GROUNDEDNESS_FAILURE]
    escalation = Escalation.objects.get()
    assert escalation.severity == Severity.CRITICAL
    assert escalation.detail["cases"] == ["DRAFT_003"]
    assert escalation.detail["correlation_ids"] == ["corr-draft-3"]
    assert list(TraceHold.objects.values_list("correlation_id", flat=True)) == ["corr-draft-3"]


def test_groundedness_above_the_bar_or_a_runner_error_does_not_raise():
    run = ReplayRunFactory(total=10, passed=10, pass_rate=1.0)
    judged(run, groundedness=3)
    # A runner error scores 1 everywhere because nothing ran: not an unsupported claim.
    judged(run, groundedness=1, outcome=CaseOutcome.RUNNER_ERROR)
    assert check_escalations()["raised"] == []


def test_redis_down_while_required_raises(settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.REDIS_REQUIRED = True
    result = check_escalations()
    assert _raised_rules(result) == [EscalationRule.REDIS_UNAVAILABLE]
    escalation = Escalation.objects.get()
    assert escalation.severity == Severity.CRITICAL
    assert "unreachable and REDIS_REQUIRED=true" in escalation.detail["detail"]


def test_redis_down_while_optional_does_not_raise(settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    assert check_escalations()["raised"] == []


@pytest.mark.redis
def test_a_reachable_required_redis_does_not_raise(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.REDIS_REQUIRED = True
    assert check_escalations()["raised"] == []


def test_missing_inngest_keys_while_required_raise(settings):
    settings.INNGEST_REQUIRED = True
    settings.INNGEST_DEV = False
    settings.INNGEST_SIGNING_KEY = ""
    settings.INNGEST_EVENT_KEY = ""
    assert _raised_rules(check_escalations()) == [EscalationRule.INNGEST_UNUSABLE]
    assert Escalation.objects.get().title == (
        "Inngest is required but unusable: INNGEST_SIGNING_KEY missing; INNGEST_EVENT_KEY missing"
    )


def test_inngest_keys_present_or_not_required_do_not_raise(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_SIGNING_KEY = ""
    settings.INNGEST_EVENT_KEY = ""
    assert check_escalations()["raised"] == []  # not required
    settings.INNGEST_REQUIRED = True
    settings.INNGEST_SIGNING_KEY = "signkey-prod-" + "ab12" * 16
    settings.INNGEST_EVENT_KEY = "event-key"
    assert check_escalations()["raised"] == []


def test_a_pending_draft_past_the_sla_breach_raises():
    item = aged_item(hours=30)
    aged_item(hours=10)
    assert _raised_rules(check_escalations()) == [EscalationRule.QUEUE_AGING]
    escalation = Escalation.objects.get()
    assert escalation.detail["queue_items"] == [item.pk]
    assert escalation.title == "1 pending draft(s) older than the 24 h SLA (oldest 30.0 h)"


def test_young_or_decided_drafts_do_not_raise_queue_aging():
    aged_item(hours=23)
    aged_item(hours=40, status=QueueStatus.REJECTED)
    assert check_escalations()["raised"] == []


def test_the_breach_threshold_comes_from_the_sla_policy():
    from approvals.models import SlaPolicy

    aged_item(hours=3)
    assert check_escalations()["raised"] == []
    SlaPolicy.objects.update(breached_after_hours=2)
    assert _raised_rules(check_escalations()) == [EscalationRule.QUEUE_AGING]


# --- deduplication -----------------------------------------------------------------------------
def test_a_rule_raises_once_per_day_and_again_the_next_day():
    with time_machine.travel(DAY):
        aged_item(hours=30)
        first = check_escalations()
    with time_machine.travel(DAY + timedelta(hours=5)):
        second = check_escalations()
    assert _raised_rules(first) == [EscalationRule.QUEUE_AGING]
    assert second["raised"] == []
    assert [e["id"] for e in second["already_raised_today"]] == [first["raised"][0]["id"]]
    with time_machine.travel(DAY + timedelta(days=1)):
        third = check_escalations()
    assert _raised_rules(third) == [EscalationRule.QUEUE_AGING]
    assert list(Escalation.objects.order_by("day").values_list("day", flat=True)) == [
        DAY.date(),
        DAY.date() + timedelta(days=1),
    ]


def test_a_resolved_escalation_is_not_raised_again_the_same_day(hos):
    with time_machine.travel(DAY):
        aged_item(hours=30)
        raised = check_escalations()["raised"][0]
        resolve(raised["id"], actor=hos)
        again = check_escalations()
    assert again["raised"] == []
    assert again["already_raised_today"][0]["status"] == EscalationStatus.RESOLVED


# --- notification ------------------------------------------------------------------------------
def test_a_new_escalation_is_emailed_and_posted_to_slack_exactly_once(
    mailoutbox, slack, django_user_model
):
    django_user_model.objects.create_superuser("root", "root@caio.example", "pw")
    django_user_model.objects.create_superuser("noemail", "", "pw")
    aged_item(hours=30)
    first = check_escalations()
    check_escalations()
    assert first["raised"][0]["notified"] == {"email": 1, "slack": True}
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ops@caio.example", "root@caio.example"]
    assert message.subject.startswith("Escalation: 1 pending draft(s) older than the 24 h SLA")
    escalation = Escalation.objects.get()
    assert f"/admin/evaluation/escalation/{escalation.pk}/change/" in message.body
    assert len(slack.received) == 1
    post = slack.received[0]
    assert post["path"] == "/services/T000/B000/x"
    assert post["type"] == "application/json"
    assert "1 pending draft(s) older than the 24 h SLA" in post["body"]["text"]


def test_a_failing_slack_webhook_is_logged_and_the_escalation_still_raised(
    mailoutbox, slack, caplog
):
    slack.answer = 500
    aged_item(hours=30)
    result = check_escalations()
    assert result["raised"][0]["notified"] == {"email": 1, "slack": False}
    assert len(slack.received) == 1
    assert Escalation.objects.count() == 1
    assert "slack webhook failed: HTTPError" in caplog.text


def test_an_unreachable_slack_webhook_does_not_stop_the_check(settings, mailoutbox, closed_port):
    settings.SLACK_WEBHOOK_URL = f"http://127.0.0.1:{closed_port}/hook"
    aged_item(hours=30)
    assert check_escalations()["raised"][0]["notified"] == {"email": 1, "slack": False}


def test_without_recipients_nothing_is_emailed(settings, mailoutbox):
    settings.OPS_NOTIFICATION_EMAILS = []
    aged_item(hours=30)
    assert check_escalations()["raised"][0]["notified"]["email"] == 0
    assert mailoutbox == []


# --- transitions -------------------------------------------------------------------------------
@pytest.fixture
def escalation():
    aged_item(hours=30)
    return Escalation.objects.get(pk=check_escalations()["raised"][0]["id"])


def test_acknowledge_then_resolve_records_who_and_when(escalation, hos, operator):
    acknowledged = acknowledge(escalation.pk, actor=operator)
    assert acknowledged.status == EscalationStatus.ACKNOWLEDGED
    assert acknowledged.acknowledged_by == operator
    assert acknowledged.acknowledged_at is not None
    resolved = resolve(escalation.pk, actor=hos)
    assert resolved.status == EscalationStatus.RESOLVED
    assert (resolved.resolved_by, resolved.acknowledged_by) == (hos, operator)


def test_an_open_escalation_can_be_resolved_directly(escalation, hos):
    assert resolve(escalation.pk, actor=hos).acknowledged_at is None


def test_it_rejects_a_second_acknowledgement(escalation, hos, operator):
    acknowledge(escalation.pk, actor=operator)
    with pytest.raises(EscalationConflict, match="is acknowledged, not open"):
        acknowledge(escalation.pk, actor=hos)
    assert Escalation.objects.get(pk=escalation.pk).acknowledged_by == operator


def test_it_rejects_resolving_or_acknowledging_a_resolved_escalation(escalation, hos, operator):
    resolve(escalation.pk, actor=hos)
    with pytest.raises(EscalationConflict, match="is resolved"):
        resolve(escalation.pk, actor=operator)
    with pytest.raises(EscalationConflict, match="is resolved, not open"):
        acknowledge(escalation.pk, actor=operator)
    assert Escalation.objects.get(pk=escalation.pk).resolved_by == hos


def test_a_missing_escalation_is_a_conflict(hos):
    with pytest.raises(EscalationConflict, match="is missing"):
        resolve(999999, actor=hos)


def test_resolving_releases_the_held_traces(hos):
    run = ReplayRunFactory(total=10, passed=10, pass_rate=1.0)
    judged(run, groundedness=1, correlation_id="corr-held")
    raised = check_escalations()["raised"][0]
    assert TraceHold.objects.filter(correlation_id="corr-held").exists()
    resolve(raised["id"], actor=hos)
    assert not TraceHold.objects.filter(correlation_id="corr-held").exists()


# --- the command -------------------------------------------------------------------------------
def test_the_command_prints_what_it_raised_and_exits_0(mailoutbox):
    aged_item(hours=30)
    out = StringIO()
    call_command("check_escalations", stdout=out)
    text = out.getvalue()
    escalation = Escalation.objects.get()
    assert f"RAISED #{escalation.pk} [major] queue_aging: 1 pending draft(s)" in text
    assert "(emailed 1, slack no)" in text
    out = StringIO()
    call_command("check_escalations", stdout=out)
    assert f"ALREADY RAISED TODAY #{escalation.pk} (open) queue_aging" in out.getvalue()
    assert "raised 0, already raised today 1" in out.getvalue()


def test_the_rules_cover_every_rule_choice():
    assert set(escalations.RULES) == set(EscalationRule.values)


# --- the crons ---------------------------------------------------------------------------------
def test_both_crons_run_through_the_scheduler_and_are_recorded_ok(mailoutbox):
    from caio_site.choices import SchedulerRunStatus
    from caio_site.scheduler import JOBS_BY_ID, run_job

    aged_item(hours=30)
    escalation_run = run_job(JOBS_BY_ID["escalation-check"], run_id="inngest-esc-1")
    readiness_run = run_job(JOBS_BY_ID["release-readiness"], run_id="inngest-ready-1")
    escalation_run.refresh_from_db()
    readiness_run.refresh_from_db()
    assert (escalation_run.status, readiness_run.status) == (SchedulerRunStatus.OK,) * 2
    assert [e["rule"] for e in escalation_run.result["raised"]] == [EscalationRule.QUEUE_AGING]
    # NOT READY is the report's verdict, not a failed run: the run is ok and records why.
    assert readiness_run.result["ready"] is False
    assert (
        "replay: no full replay run (partial runs do not count)" in readiness_run.result["reasons"]
    )
    assert {c["name"] for c in readiness_run.result["checks"]} >= {"queue_health", "replay"}
