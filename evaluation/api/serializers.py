"""Replay run payloads: a compact list row and the detail with every case's verdict."""

from __future__ import annotations

from rest_framework import serializers

from evaluation.models import CaseResult, ReplayRun, Scorecard


class CaseResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseResult
        fields = (
            "case_id",
            "agent",
            "category",
            "severity",
            "outcome",
            "overall_score",
            "judge",
            "unchecked_constraints",
            "tool_trace_log",
            "correlation_id",
            "error",
            "duration_ms",
            "baseline_outcome",
            "score_delta",
        )
        read_only_fields = fields


class ReplayRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReplayRun
        fields = (
            "id",
            "golden_set_label",
            "status",
            "runner",
            "workers",
            "total",
            "passed",
            "failed",
            "runner_errors",
            "pass_rate",
            "mean_score",
            "critical_failures",
            "min_pass_rate",
            "max_score_drop",
            "block_build",
            "block_reasons",
            "baseline",
            "triggered_by",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields


class ReplayRunDetailSerializer(ReplayRunSerializer):
    results = CaseResultSerializer(many=True, read_only=True)

    class Meta(ReplayRunSerializer.Meta):
        fields = (*ReplayRunSerializer.Meta.fields, "options", "baseline_diff", "error", "results")
        read_only_fields = fields


class ScorecardSerializer(serializers.ModelSerializer):
    signed_off_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Scorecard
        fields = ("id", "week", "metrics", "created_at", "signed_off_by", "signed_off_at")
        read_only_fields = fields
