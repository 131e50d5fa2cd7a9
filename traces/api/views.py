"""Traces API: read one trace, ingest batches from external agents."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from traces.api.filters import TraceEnvelopeFilter
from traces.api.permissions import TracePermission
from traces.api.serializers import (
    TraceBatchResultSerializer,
    TraceBatchSerializer,
    TraceEnvelopeSerializer,
    validate_batch,
)
from traces.ingest import ingest
from traces.models import TraceEnvelope


class TracePagination(CursorPagination):
    # Spans in the order they started; a cursor never counts the whole table.
    ordering = ("timestamp", "id")
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"


class TraceEnvelopeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = TraceEnvelope.objects.all()
    serializer_class = TraceEnvelopeSerializer
    permission_classes = [TracePermission]
    pagination_class = TracePagination
    filterset_class = TraceEnvelopeFilter

    @extend_schema(
        summary="The envelopes of one trace",
        description="Requires `correlation_id` or `case_id`; spans in start order.",
        responses={
            200: TraceEnvelopeSerializer(many=True),
            400: OpenApiResponse(description="No correlation_id or case_id."),
        },
    )
    def list(self, request, *args, **kwargs):
        if not (request.query_params.get("correlation_id") or request.query_params.get("case_id")):
            raise ValidationError({"correlation_id": ["Give correlation_id or case_id."]})
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Ingest a batch of envelopes from an external agent",
        description=(
            "1 to 1,000 envelopes. Every text field is redacted before it is stored; summaries "
            "are cut to 500 characters. Bad items answer 400 with errors keyed by item index; "
            "ids already stored are skipped, so a retried batch stores nothing twice."
        ),
        request=TraceBatchSerializer,
        responses={
            201: TraceBatchResultSerializer,
            400: OpenApiResponse(description="Errors keyed by the index of each bad item."),
        },
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request):
        items = validate_batch(request.data)
        ids, stored = ingest(items)
        return Response(
            {"received": len(ids), "stored": stored, "ids": ids}, status=status.HTTP_201_CREATED
        )
