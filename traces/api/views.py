"""Traces API: read one trace, ingest batches from external agents."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
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


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = (
        f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes; send fewer "
        "envelopes per batch or shorter summaries (they are stored cut to 500 characters)."
    )


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
            413: OpenApiResponse(description="Body larger than DATA_UPLOAD_MAX_MEMORY_SIZE."),
        },
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request):
        try:
            data = request.data
        except RequestDataTooBig as exc:
            raise PayloadTooLarge() from exc
        items = validate_batch(data)
        ids, stored = ingest(items)
        return Response(
            {"received": len(ids), "stored": stored, "ids": ids}, status=status.HTTP_201_CREATED
        )
