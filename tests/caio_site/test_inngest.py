"""/inngest through the official SDK's Django handler, called the way the Inngest executor
calls it: GET for introspection, POST ?fnId=…&stepId=step with the run context, signed with
the SDK's own signing helper in cloud mode."""

from __future__ import annotations

import json

import pytest
from inngest._internal.net import sign_request

from caio_site import inngest as site_inngest
from caio_site.choices import SchedulerRunStatus
from caio_site.models import SchedulerRun
from caio_site.scheduler import CRON_JOBS
from tests.caio_site.inngest_jobs import APP_ID, SIGNING_KEY

SIGNATURE_HEADER = "HTTP_X_INNGEST_SIGNATURE"


def _run_body(run_id: str, attempt: int = 0) -> bytes:
    event = {"name": "inngest/scheduled.timer", "data": {"cron": "0 * * * *"}}
    return json.dumps(
        {
            "ctx": {
                "attempt": attempt,
                "disable_immediate_execution": False,
                "run_id": run_id,
                "stack": {"stack": []},
            },
            "event": event,
            "events": [event],
            "steps": {},
            "use_api": False,
        }
    ).encode()


def _execute(client, fn_id: str, run_id: str, *, signed: bool, attempt: int = 0):
    body = _run_body(run_id, attempt)
    headers = {}
    if signed:
        headers[SIGNATURE_HEADER] = sign_request(body, SIGNING_KEY)
    return client.post(
        f"/inngest?fnId={APP_ID}-{fn_id}&stepId=step",
        data=body,
        content_type="application/json",
        **headers,
    )


def test_the_site_serves_every_cron_of_the_design():
    assert {job.fn_id: job.cron for job in CRON_JOBS} == {
        "pipeline-scan": "TZ=UTC */15 * * * *",
        "meeting-prep": "TZ=UTC 0 20 * * *",
        "weekly-replay-snapshot": "TZ=UTC 0 9 * * 1",
        "rejection-review-digest": "TZ=UTC 0 9 * * 3",
        "release-readiness": "TZ=UTC 0 9 * * 5",
        "escalation-check": "TZ=UTC 0 * * * *",
        "trace-retention": "TZ=UTC 30 3 * * *",
        "weekly-scorecard": "TZ=UTC 30 9 * * 1",
        "expire-pending": "TZ=UTC 5 * * * *",
        "send-due": "TZ=UTC */5 * * * *",
    }
    assert len(site_inngest.functions) == len(CRON_JOBS)


def test_the_client_follows_the_settings(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_SIGNING_KEY = SIGNING_KEY
    settings.INNGEST_EVENT_KEY = "evt"
    settings.INNGEST_APP_ID = "caio-alpha-swarm-staging"
    client = site_inngest.build_client()
    assert client.is_production is True
    assert client.app_id == "caio-alpha-swarm-staging"
    assert client.signing_key == SIGNING_KEY


def test_dev_mode_introspection_lists_the_functions(client, db):
    response = client.get("/inngest")
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "dev"
    assert body["function_count"] == len(CRON_JOBS)


def test_dev_mode_registration_config_names_each_cron(client, db):
    # The config an Inngest server receives on sync (PUT) is built from the same functions.
    configs = [fn.get_config("http://testserver/inngest").main for fn in site_inngest.functions]
    crons = {c.id: c.triggers[0].cron for c in configs}
    assert crons[f"{site_inngest.client.app_id}-pipeline-scan"] == "TZ=UTC */15 * * * *"


@pytest.mark.urls("tests.caio_site.urls_inngest_dev")
def test_a_run_binds_its_run_id_as_correlation_id_and_is_recorded(client, db):
    response = _execute(client, "correlation-probe", "01JRUNCORRELATION", signed=False)
    assert response.status_code == 200, response.content
    run = SchedulerRun.objects.get(function_id="correlation-probe")
    assert run.run_id == "01JRUNCORRELATION"
    assert run.status == SchedulerRunStatus.OK
    assert run.result == {"value": "01JRUNCORRELATION"}
    assert run.finished_at >= run.started_at
    assert response.json() == {"status": "ok", "scheduler_run": run.pk}


@pytest.mark.urls("tests.caio_site.urls_inngest_dev")
def test_a_failing_entry_point_is_recorded_and_left_to_inngest_to_retry(client, db):
    response = _execute(client, "raises", "01JRUNRAISES", signed=False)
    # The SDK answers an error for Inngest to retry; it is not marked "no retry".
    assert response.status_code == 500
    assert response.get("x-inngest-no-retry") != "true"
    run = SchedulerRun.objects.get(function_id="raises")
    assert run.status == SchedulerRunStatus.FAILED
    assert run.detail.startswith("ValueError:")


@pytest.mark.urls("tests.caio_site.urls_inngest_dev")
def test_a_retry_updates_the_same_run(client, db):
    _execute(client, "raises", "01JRUNRETRY", signed=False, attempt=0)
    _execute(client, "raises", "01JRUNRETRY", signed=False, attempt=1)
    run = SchedulerRun.objects.get(function_id="raises", run_id="01JRUNRETRY")
    assert run.attempt == 1


@pytest.mark.urls("tests.caio_site.urls_inngest_cloud")
def test_cloud_mode_accepts_a_request_signed_with_the_signing_key(client, db):
    response = _execute(client, "correlation-probe", "01JRUNSIGNED", signed=True)
    assert response.status_code == 200, response.content
    assert SchedulerRun.objects.filter(run_id="01JRUNSIGNED", status="ok").exists()
    # The SDK signs its answer so the Inngest server can trust it too.
    assert response["X-Inngest-Signature"].startswith("t=")


@pytest.mark.urls("tests.caio_site.urls_inngest_cloud")
def test_cloud_mode_refuses_an_unsigned_run_and_records_nothing(client, db):
    response = _execute(client, "correlation-probe", "01JRUNUNSIGNED", signed=False)
    assert response.status_code == 401
    assert not SchedulerRun.objects.exists()


@pytest.mark.urls("tests.caio_site.urls_inngest_cloud")
def test_cloud_mode_refuses_a_request_signed_with_another_key(client, db):
    body = _run_body("01JRUNFORGED")
    forged = sign_request(body, "signkey-test-" + "f" * 64)
    response = client.post(
        f"/inngest?fnId={APP_ID}-correlation-probe&stepId=step",
        data=body,
        content_type="application/json",
        **{SIGNATURE_HEADER: forged},
    )
    assert response.status_code == 401
    assert not SchedulerRun.objects.exists()


@pytest.mark.urls("tests.caio_site.urls_inngest_cloud")
def test_cloud_mode_introspection_needs_a_signature(client, db):
    assert client.get("/inngest").status_code == 401
    signed = client.get("/inngest", **{SIGNATURE_HEADER: sign_request(b"", SIGNING_KEY)})
    assert signed.status_code == 200
    body = signed.json()
    assert body["mode"] == "cloud"
    assert body["authentication_succeeded"] is True
    assert body["app_id"] == APP_ID


@pytest.mark.urls("tests.caio_site.urls_inngest_unconfigured")
def test_cloud_mode_without_a_signing_key_answers_503_instead_of_breaking_the_site(client, db):
    response = client.get("/inngest")
    assert response.status_code == 503
    assert response.json()["code"] == "inngest_not_configured"


def _site_fn(fn_id: str) -> str:
    return f"{site_inngest.client.app_id}-{fn_id}"


def test_the_pipeline_scan_cron_runs_the_agents_scan_and_records_it(client, db):
    body = _run_body("01JREALPIPELINESCAN")
    response = client.post(
        f"/inngest?fnId={_site_fn('pipeline-scan')}&stepId=step",
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    run = SchedulerRun.objects.get(function_id="pipeline-scan")
    assert run.status == SchedulerRunStatus.OK, run.detail
    assert set(run.result["counts"]) == {"stale", "upcoming_meetings", "ghosted"}


def test_the_trace_retention_cron_prunes_and_records_the_counts(client, db):
    response = client.post(
        f"/inngest?fnId={_site_fn('trace-retention')}&stepId=step",
        data=_run_body("01JREALRETENTION"),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    run = SchedulerRun.objects.get(function_id="trace-retention")
    assert run.status == SchedulerRunStatus.OK, run.detail
    assert run.result["deleted"] == 0
    assert {"cutoff", "due", "held"} <= set(run.result)


def test_the_rejection_review_digest_cron_records_its_summary(client, db):
    response = client.post(
        f"/inngest?fnId={_site_fn('rejection-review-digest')}&stepId=step",
        data=_run_body("01JREALDIGEST"),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    run = SchedulerRun.objects.get(function_id="rejection-review-digest")
    assert run.status == SchedulerRunStatus.OK, run.detail
    # The digest's own summary, recorded as returned: nothing decided in an empty database.
    assert run.result["decided"] == 0
    assert run.result["rejected"] == 0
