"""Inngest client and cron functions, served at /inngest by the official SDK.

Each function is a thin wrapper around ``caio_site.scheduler.run_job``: it binds the Inngest run
id as correlation id, calls the job's domain entry point and records a ``SchedulerRun``. A
failure is recorded and re-raised so Inngest retries it.

In dev mode (``INNGEST_DEV``, the embedded default) requests are not signed. In cloud mode every
request must carry a valid ``X-Inngest-Signature`` for ``INNGEST_SIGNING_KEY``; without a key the
route answers 503 (and ``manage.py check`` / readiness say why) rather than failing the import
of the URLconf.
"""

from __future__ import annotations

import logging

import inngest
import inngest.django
from django.conf import settings
from django.http import JsonResponse
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt

from caio_site.scheduler import CRON_JOBS, CronJob, run_job

logger = logging.getLogger(__name__)

SERVE_PATH = "/inngest"
# Inngest retries a failed run this many times (with its own back-off) before giving up.
RETRIES = 3


def build_client(
    *,
    dev: bool | None = None,
    signing_key: str | None = None,
    event_key: str | None = None,
    app_id: str | None = None,
) -> inngest.Inngest:
    """The Inngest client; every argument defaults to the matching setting."""
    dev = settings.INNGEST_DEV if dev is None else dev
    base_url = settings.INNGEST_BASE_URL or None
    return inngest.Inngest(
        app_id=app_id or settings.INNGEST_APP_ID,
        is_production=not dev,
        signing_key=(settings.INNGEST_SIGNING_KEY if signing_key is None else signing_key) or None,
        event_key=(settings.INNGEST_EVENT_KEY if event_key is None else event_key) or None,
        api_base_url=base_url,
        event_api_base_url=base_url,
        logger=logging.getLogger("caio_site.inngest.sdk"),
    )


def _make_function(client: inngest.Inngest, job: CronJob) -> inngest.Function:
    @client.create_function(
        fn_id=job.fn_id,
        name=job.description,
        trigger=inngest.TriggerCron(cron=job.cron),
        retries=RETRIES,
    )
    def handler(ctx: inngest.ContextSync) -> dict:
        run = run_job(job, run_id=ctx.run_id, attempt=ctx.attempt)
        return {"status": run.status, "scheduler_run": run.pk}

    return handler


def build_functions(
    client: inngest.Inngest, jobs: tuple[CronJob, ...] = CRON_JOBS
) -> list[inngest.Function]:
    return [_make_function(client, job) for job in jobs]


@csrf_exempt
def _not_configured(request):
    return JsonResponse(
        {
            "code": "inngest_not_configured",
            "detail": "Inngest cloud mode needs INNGEST_SIGNING_KEY.",
        },
        status=503,
    )


def build_urlpatterns(
    client: inngest.Inngest | None = None, functions: list[inngest.Function] | None = None
) -> list[URLPattern]:
    """The /inngest route for ``client`` (default: from settings)."""
    client = client or build_client()
    functions = build_functions(client) if functions is None else functions
    if client.is_production and not client.signing_key:
        # The SDK refuses to build a cloud handler without a key; failing here would take the
        # whole URLconf (admin, health) down with it.
        logger.error("Inngest cloud mode without INNGEST_SIGNING_KEY: /inngest answers 503")
        return [path(SERVE_PATH.lstrip("/"), _not_configured)]
    pattern = inngest.django.serve(
        client,
        functions,
        serve_path=SERVE_PATH,
        serve_origin=settings.INNGEST_SERVE_ORIGIN or None,
    )
    return [pattern]


client = build_client()
functions = build_functions(client)
inngest_urlpatterns = build_urlpatterns(client, functions)
