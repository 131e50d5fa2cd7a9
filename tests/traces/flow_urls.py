"""A request that enqueues a Celery task which records envelopes (correlation flow test).

The task and view are test scaffolding for the flow; the recorder, the correlation middleware,
the Celery header hooks and the task trace scopes they exercise are the real ones.
"""

from celery import shared_task
from django.http import JsonResponse
from django.urls import path

from traces.models import TraceEnvelope
from traces.recorder import agent_step, record_tool


@shared_task(name="tests.traces.record_in_task")
def record_in_task(lead_id: int) -> dict:
    with agent_step("qualify", "score"), record_tool("qualify", "crm.read_contact") as span:
        span.add_refs(f"lead:{lead_id}")
    # The task's scope buffers until the task ends.
    return {"stored_during_task": TraceEnvelope.objects.count()}


def enqueue(request):
    result = record_in_task.delay(12)
    return JsonResponse(result.get())


urlpatterns = [path("enqueue/", enqueue)]
