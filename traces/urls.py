"""Public (non-API) pages of this app: the admin-side trace timeline.

Not under ``admin/``: the admin site's catch-all URL would answer first.
"""

from django.urls import path

from traces import views

app_name = "traces"

urlpatterns = [
    path("traces/timeline/<str:correlation_id>/", views.timeline, name="timeline"),
]
