"""Public (non-API) pages of this app: the old address of the trace timeline, which is now an
admin view (``admin:traces_traceenvelope_timeline``); links already handed out keep working."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "traces"

urlpatterns = [
    path(
        "traces/timeline/<str:correlation_id>/",
        RedirectView.as_view(pattern_name="admin:traces_traceenvelope_timeline"),
        name="timeline",
    ),
]
