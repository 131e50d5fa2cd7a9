"""Health endpoints.

``live`` says the process answers. ``ready`` says whether every *required* dependency works; its
body is public, so it names failing dependencies and nothing else (no hosts, URLs or errors).
``dependencies`` is the authenticated detail for holders of ``caio_site.view_runtime_detail``
(operators and the Head of Sales).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from caio_site.permissions import CanViewRuntimeDetail
from caio_site.runtime import dependencies as deps

NO_STORE = {"Cache-Control": "no-store"}


class DependencyResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=[deps.OK, deps.WARN, deps.FAIL])
    required = serializers.BooleanField()
    detail = serializers.CharField()
    latency_ms = serializers.FloatField(allow_null=True)
    data = serializers.DictField()


class DependenciesSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ready", "not_ready"])
    failing = serializers.ListField(child=serializers.CharField())
    degraded = serializers.ListField(child=serializers.CharField())
    dependencies = DependencyResultSerializer(many=True)


_ReadySerializer = inline_serializer(
    "Readiness",
    {
        "status": serializers.ChoiceField(choices=["ready", "not_ready"]),
        "failing": serializers.ListField(child=serializers.CharField()),
        "degraded": serializers.ListField(child=serializers.CharField()),
    },
)


class LiveView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["health"],
        operation_id="health_live",
        auth=[],
        responses={200: inline_serializer("Liveness", {"status": serializers.CharField()})},
    )
    def get(self, request):
        return Response({"status": "live"}, headers=NO_STORE)


class ReadyView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["health"],
        operation_id="health_ready",
        auth=[],
        responses={200: _ReadySerializer, 503: _ReadySerializer},
    )
    def get(self, request):
        results = deps.check_all(check_connections=True)
        failing = deps.failing(results)
        body = {
            "status": "not_ready" if failing else "ready",
            "failing": failing,
            "degraded": deps.degraded(results),
        }
        code = status.HTTP_503_SERVICE_UNAVAILABLE if failing else status.HTTP_200_OK
        return Response(body, status=code, headers=NO_STORE)


class DependenciesView(APIView):
    permission_classes = [CanViewRuntimeDetail]

    @extend_schema(
        tags=["health"],
        operation_id="runtime_dependencies",
        responses={200: DependenciesSerializer},
    )
    def get(self, request):
        results = deps.check_all(check_connections=True)
        failing = deps.failing(results)
        body = {
            "status": "not_ready" if failing else "ready",
            "failing": failing,
            "degraded": deps.degraded(results),
            "dependencies": [result.as_dict() for result in results],
        }
        return Response(body, headers=NO_STORE)


live = LiveView.as_view()
ready = ReadyView.as_view()
dependencies = DependenciesView.as_view()
