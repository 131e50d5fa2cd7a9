"""Serializers of the approvals API (shapes only; decisions live in approvals.decisions)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.choices import SlaState
from approvals.models import QueueItem, RejectionCategory


class LeadSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField(source="full_name")
    title = serializers.CharField()
    company = serializers.CharField()
    status = serializers.CharField()


class RubricResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    passed = serializers.BooleanField()
    severity = serializers.CharField()
    message = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    fact = serializers.CharField()
    source = serializers.CharField()


class EmailSerializer(serializers.ModelSerializer):
    lead = LeadSummarySerializer(read_only=True)
    rubric_results = RubricResultSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    rejection_category = serializers.SlugRelatedField(slug_field="key", read_only=True)
    sla_state = serializers.SerializerMethodField()

    class Meta:
        model = QueueItem
        fields = [
            "id",
            "kind",
            "status",
            "version",
            "lead",
            "agent",
            "tier",
            "angle",
            "subject",
            "body",
            "original_subject",
            "original_body",
            "was_edited",
            "edit_diff",
            "evidence",
            "rubric_results",
            "rubric_state",
            "rubric_passed",
            "rubric_total",
            "blocked_reasons",
            "correlation_id",
            "supersedes",
            "created_at",
            "decided_at",
            "decided_by",
            "sent_at",
            "rejection_category",
            "rejection_reason",
            "feedback",
            "sla_state",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=SlaState.choices, allow_null=True))
    def get_sla_state(self, item) -> str | None:
        policy = self.context.get("sla_policy")
        if policy is None or item.status != "pending":
            return None
        return policy.state_for(item.created_at, self.context.get("now"))


class ApproveSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you reviewed.")
    subject = serializers.CharField(required=False, max_length=300, allow_blank=False)
    body = serializers.CharField(required=False, allow_blank=False, trim_whitespace=False)
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you reviewed.")
    category = serializers.SlugRelatedField(
        slug_field="key", queryset=RejectionCategory.objects.filter(active=True)
    )
    reason = serializers.CharField(max_length=4000)


class RejectionCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = RejectionCategory
        fields = ["key", "name", "description", "policy", "examples"]


class CountSerializer(serializers.Serializer):
    status = serializers.CharField()
    kind = serializers.CharField()
    count = serializers.IntegerField()


class QueueStatsSerializer(serializers.Serializer):
    counts = CountSerializer(many=True)
    by_status = serializers.DictField(child=serializers.IntegerField())
    oldest_pending_age_seconds = serializers.FloatField(allow_null=True)
    aging = serializers.DictField(child=serializers.IntegerField())
    sla_breaches = serializers.IntegerField()
    sends = serializers.DictField(child=serializers.IntegerField())
