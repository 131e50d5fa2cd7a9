"""URL configuration: admin, the public pages of the apps, the versioned API and /inngest."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from caio_site.inngest import inngest_urlpatterns
from caio_site.runtime import views as runtime_views

api_v1 = [
    path("", include("agents.api.urls")),
    path("", include("approvals.api.urls")),
    path("", include("traces.api.urls")),
    path("", include("evaluation.api.urls")),
    path("runtime/dependencies/", runtime_views.dependencies, name="runtime-dependencies"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("", include("approvals.urls")),
    path("", include("traces.urls")),
    path("api/health/live/", runtime_views.live, name="health-live"),
    path("api/health/ready/", runtime_views.ready, name="health-ready"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    *inngest_urlpatterns,
]

# API callers get JSON errors with a stable code even for unknown URLs and crashes.
handler404 = "caio_site.api_errors.not_found"
handler500 = "caio_site.api_errors.server_error"
