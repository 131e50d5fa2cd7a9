"""The Celery application.

Configuration comes from Django settings (``CELERY_*``); with no broker configured tasks run
eagerly in process. The correlation id of the enqueuing request travels in the task headers and
is restored in the worker, so a job's trace envelopes share the id of the request that caused it.
"""

import os

from celery import Celery, signals

from caio_site.runtime.correlation import (
    bind_correlation_id_for_task,
    get_correlation_id,
    release_task_correlation_id,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caio_site.settings")

app = Celery("caio_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
if not app.conf.broker_url:
    # The embedded shape runs tasks eagerly, but Celery still builds a producer connection for
    # each call: point it at the in-memory transport instead of a guessed amqp://localhost.
    app.conf.broker_url = "memory://localhost/"
app.autodiscover_tasks()

# Not "correlation_id": Celery already uses that message property for the task id, and the
# property would shadow our header on the worker's request.
CORRELATION_HEADER = "caio_correlation_id"


@signals.before_task_publish.connect
def _attach_correlation_id(headers=None, **kwargs):
    if headers is not None and CORRELATION_HEADER not in headers:
        headers[CORRELATION_HEADER] = get_correlation_id()


@signals.task_prerun.connect
def _restore_correlation_id(task=None, **kwargs):
    request = getattr(task, "request", None)
    incoming = getattr(request, CORRELATION_HEADER, None) if request is not None else None
    if incoming is None and request is not None:
        incoming = (getattr(request, "headers", None) or {}).get(CORRELATION_HEADER)
    bind_correlation_id_for_task(incoming)


@signals.task_postrun.connect
def _release_correlation_id(task=None, **kwargs):
    release_task_correlation_id()
