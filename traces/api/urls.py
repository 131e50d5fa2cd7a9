"""API routes of the traces app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from traces.api.views import TraceEnvelopeViewSet

router = SimpleRouter(trailing_slash=True)
router.register("traces", TraceEnvelopeViewSet, basename="trace")

urlpatterns = [*router.urls]
