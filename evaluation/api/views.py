"""Replay runs over the API: read-only, for anyone allowed to view them."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from caio_site.permissions import HasPermission
from evaluation.api.serializers import (
    ReplayRunDetailSerializer,
    ReplayRunSerializer,
    ScorecardSerializer,
)
from evaluation.choices import ReplayRunStatus
from evaluation.models import CaseResult, ReplayRun, Scorecard


class CanViewReplayRuns(HasPermission):
    permission = "evaluation.view_replayrun"


class ReplayRunFilter(django_filters.FilterSet):
    golden_set = django_filters.CharFilter(field_name="golden_set_label")
    status = django_filters.ChoiceFilter(choices=ReplayRunStatus.choices)
    # Strict true/false: an unknown value is a 400, not a silently ignored filter.
    block_build = django_filters.TypedChoiceFilter(
        choices=(("true", "true"), ("false", "false")), coerce=lambda value: value == "true"
    )

    class Meta:
        model = ReplayRun
        fields = ("golden_set", "status", "block_build")


@extend_schema_view(
    list=extend_schema(summary="Replay runs, newest first"),
    retrieve=extend_schema(
        summary="One replay run with every case's verdict and the baseline diff"
    ),
)
class ReplayRunViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CanViewReplayRuns]
    filterset_class = ReplayRunFilter
    queryset = ReplayRun.objects.order_by("-started_at", "-id")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("results", queryset=CaseResult.objects.order_by("case_id"))
            )
        return queryset

    def get_serializer_class(self):
        return ReplayRunDetailSerializer if self.action == "retrieve" else ReplayRunSerializer


class CanViewScorecards(HasPermission):
    permission = "evaluation.view_scorecard"


@extend_schema_view(list=extend_schema(summary="Weekly scorecards, newest week first"))
class ScorecardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [CanViewScorecards]
    serializer_class = ScorecardSerializer
    queryset = Scorecard.objects.select_related("signed_off_by").order_by("-week")
