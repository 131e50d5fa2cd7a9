"""Approvals API: thin viewsets over approvals.decisions and approvals.stats."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from approvals import decisions
from approvals.api.filters import EmailFilter
from approvals.api.permissions import CanDecide, CanViewQueue
from approvals.api.serializers import (
    ApproveSerializer,
    EmailSerializer,
    QueueStatsSerializer,
    RejectionCategorySerializer,
    RejectSerializer,
)
from approvals.choices import QueueItemKind
from approvals.models import QueueItem, RejectionCategory, SlaPolicy
from approvals.stats import queue_stats
from caio_site.api_errors import Conflict


class QueueCursorPagination(CursorPagination):
    ordering = ("created_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _decide(call):
    """Run a decision and translate domain errors into API errors."""
    try:
        return call()
    except decisions.DecisionConflict as exc:
        raise Conflict(str(exc)) from exc
    except decisions.DecisionNotAllowed as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc
    except decisions.InvalidDecision as exc:
        raise exceptions.ValidationError(exc.errors) from exc


# What a decision answers: the item as it now is, or why not.
DECISION_RESPONSES = {
    200: EmailSerializer,
    400: OpenApiResponse(description="Invalid input (field errors)"),
    403: OpenApiResponse(description="Not allowed to decide"),
    409: OpenApiResponse(description="Stale version or already decided"),
}


class EmailViewSet(viewsets.ReadOnlyModelViewSet):
    """Drafted emails in the approval queue; approve and reject are the decisions."""

    serializer_class = EmailSerializer
    permission_classes = [CanViewQueue]
    pagination_class = QueueCursorPagination
    filterset_class = EmailFilter

    def get_queryset(self):
        return QueueItem.objects.filter(kind=QueueItemKind.EMAIL).select_related(
            "lead", "decided_by", "rejection_category"
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "sla_policy": SlaPolicy.current(),
            "now": timezone.now(),
        }

    def get_permissions(self):
        if self.action in {"approve", "reject"}:
            return [CanViewQueue(), CanDecide()]
        return super().get_permissions()

    def _valid(self, serializer_class) -> dict:
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(
        request=ApproveSerializer,
        responses=DECISION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve (with optional edits of subject/body) the version you reviewed."""
        item = self.get_object()
        values = self._valid(ApproveSerializer)
        _decide(
            lambda: decisions.approve(
                item,
                actor=request.user,
                expected_version=values["version"],
                subject=values.get("subject"),
                body=values.get("body"),
                feedback=values.get("feedback", ""),
            )
        )
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)

    @extend_schema(
        request=RejectSerializer,
        responses=DECISION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the version you reviewed with a taxonomy category and a reason."""
        item = self.get_object()
        values = self._valid(RejectSerializer)
        _decide(
            lambda: decisions.reject(
                item,
                actor=request.user,
                category=values["category"],
                reason=values["reason"],
                expected_version=values["version"],
            )
        )
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)


class RejectionCategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The rejection taxonomy (active categories) with each category's policy."""

    serializer_class = RejectionCategorySerializer
    permission_classes = [CanViewQueue]
    pagination_class = None
    queryset = RejectionCategory.objects.filter(active=True)


class QueueStatsViewSet(viewsets.ViewSet):
    """Queue health: counts, aging against the SLA, today's sends against the limits."""

    permission_classes = [CanViewQueue]

    @extend_schema(responses=QueueStatsSerializer)
    def list(self, request):
        return Response(QueueStatsSerializer(queue_stats()).data)
