"""API routes of the agents app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from agents.api.views import CallPrepViewSet, LeadViewSet

router = SimpleRouter(trailing_slash=True)
router.register("leads", LeadViewSet, basename="lead")
router.register("call-prep", CallPrepViewSet, basename="call-prep")

urlpatterns = [*router.urls]
