"""API routes of the evaluation app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from evaluation.api.views import ReplayRunViewSet, ScorecardViewSet

router = SimpleRouter(trailing_slash=True)
router.register("replay-runs", ReplayRunViewSet, basename="replay-run")
router.register("scorecards", ScorecardViewSet, basename="scorecard")

urlpatterns = [*router.urls]
