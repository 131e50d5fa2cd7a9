"""Thin API views: validate, call the domain function, serialise."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from agents.api.permissions import CallPrepAccess, LeadsAccess
from agents.api.serializers import (
    CallPrepJobSerializer,
    CallPrepRequestSerializer,
    LeadInputSerializer,
    LeadSerializer,
)
from agents.choices import LeadSource
from agents.importing import upsert_lead
from agents.models import CallPrepJob, Lead
from agents.tasks import request_call_prep


@extend_schema(tags=["leads"])
class LeadViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Leads: create or update by email (enqueues qualification), read one."""

    queryset = Lead.objects.all()
    serializer_class = LeadSerializer
    permission_classes = [LeadsAccess]

    @extend_schema(
        operation_id="leads_upsert",
        request=LeadInputSerializer,
        responses={201: LeadSerializer, 200: LeadSerializer},
        description="Create the lead, or update the one with this email (only the fields "
        "sent change). Qualification is enqueued after commit.",
    )
    def create(self, request):
        serializer = LeadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lead, created = upsert_lead(serializer.validated_data, source=LeadSource.API)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(LeadSerializer(lead).data, status=code)


@extend_schema(tags=["call-prep"])
class CallPrepViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Call-prep jobs: request a brief for a meeting, read its state and the brief."""

    queryset = CallPrepJob.objects.select_related("lead")
    serializer_class = CallPrepJobSerializer
    permission_classes = [CallPrepAccess]

    @extend_schema(
        operation_id="call_prep_create",
        request=CallPrepRequestSerializer,
        responses={202: CallPrepJobSerializer},
        description="Accept a call-prep job for a lead and meeting time (202). The same lead "
        "and meeting time return the existing job.",
    )
    def create(self, request):
        serializer = CallPrepRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job, _ = request_call_prep(
            serializer.validated_data["lead"],
            serializer.validated_data["meeting_at"],
            requested_by=request.user,
            source="api",
            notes=serializer.validated_data.get("notes", ""),
        )
        return Response(CallPrepJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
