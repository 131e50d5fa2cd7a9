"""``POST /api/v1/webhooks/<provider>/``: delivery events from the email provider."""

from __future__ import annotations

import json

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import webhooks
from approvals.choices import WebhookEventType


class WebhookEventSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=200, help_text="The provider's event id (deduplicated).")
    type = serializers.ChoiceField(choices=WebhookEventType.choices)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    message_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    occurred_at = serializers.DateTimeField(required=False)

    def validate(self, attrs):
        if not attrs.get("email") and not attrs.get("message_id"):
            raise serializers.ValidationError({"email": ["Give email or message_id."]})
        return attrs


def _error(code: str, detail: str, http_status: int, errors=None) -> Response:
    body = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=http_status)


class ProviderWebhookView(APIView):
    """Signed delivery events; authenticated by the HMAC signature, not by a user."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="webhooks_receive",
        request=WebhookEventSerializer,
        parameters=[
            OpenApiParameter(
                "X-Signature",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="sha256=<hex HMAC-SHA256 of the raw body under the provider secret>",
            ),
            OpenApiParameter(
                "X-Timestamp",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Unix seconds; rejected when more than 300 s off.",
            ),
        ],
        responses={
            200: inline_serializer(
                "WebhookAck",
                {
                    "code": serializers.CharField(),
                    "event_id": serializers.CharField(),
                    "duplicate": serializers.BooleanField(),
                    "outcome": serializers.CharField(),
                },
            ),
            400: OpenApiResponse(description="Malformed body"),
            401: OpenApiResponse(description="Missing or bad signature, or stale timestamp"),
            404: OpenApiResponse(description="Unknown provider"),
        },
    )
    def post(self, request, provider: str):
        raw = request.body
        try:
            webhooks.verify(
                provider,
                raw,
                request.headers.get("X-Signature", ""),
                request.headers.get("X-Timestamp", ""),
            )
        except webhooks.UnknownProvider:
            return _error("unknown_provider", f"No webhook provider {provider!r}.", 404)
        except webhooks.BadSignature as exc:
            return _error("bad_signature", str(exc), 401)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _error("malformed_request", "The body is not JSON.", 400)
        if not isinstance(data, dict):
            return _error("malformed_request", "The body must be a JSON object.", 400)
        serializer = WebhookEventSerializer(data=data)
        if not serializer.is_valid():
            return _error("validation_error", "Invalid input.", 400, serializer.errors)
        values = serializer.validated_data
        event, created = webhooks.process(
            provider,
            event_id=values["id"],
            event_type=values["type"],
            email=values["email"],
            message_id=values["message_id"],
        )
        return Response(
            {
                "code": "accepted" if created else "duplicate",
                "event_id": event.event_id,
                "duplicate": not created,
                "outcome": event.outcome,
            },
            status=status.HTTP_200_OK,
        )
