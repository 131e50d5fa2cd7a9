"""API routes of the approvals app (mounted under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from approvals.api.views import EmailViewSet, QueueStatsViewSet, RejectionCategoryViewSet
from approvals.api.webhooks import ProviderWebhookView

router = SimpleRouter(trailing_slash=True)
router.register("emails", EmailViewSet, basename="email")
router.register("rejection-categories", RejectionCategoryViewSet, basename="rejection-category")
router.register("queue/stats", QueueStatsViewSet, basename="queue-stats")

urlpatterns = [
    *router.urls,
    path("webhooks/<str:provider>/", ProviderWebhookView.as_view(), name="provider-webhook"),
]
