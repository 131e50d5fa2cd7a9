"""Serializers of the agents API. Validation only; the domain functions do the work."""

from __future__ import annotations

from rest_framework import serializers

from agents.models import CallPrepJob, Lead


def _has_null_character(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_null_character(k) or _has_null_character(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_null_character(v) for v in value)
    return False


class LeadInputSerializer(serializers.Serializer):
    """A lead as clients (API, CSV import) send it; ``email`` is the key."""

    # Exactly Lead.FACT_FIELDS (tests/agents/test_api_leads.py), each validated its own way.

    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    company_domain = serializers.RegexField(
        r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$",
        max_length=253,
        required=False,
        allow_blank=True,
        error_messages={"invalid": "Enter a domain name such as example.com."},
    )
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employee_count = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    revenue_band = serializers.CharField(max_length=50, required=False, allow_blank=True)
    tech_stack = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=100, required=False
    )
    signals = serializers.DictField(required=False)
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)

    def validate_signals(self, value):
        if len(value) > 50:
            raise serializers.ValidationError("At most 50 signals.")
        if _has_null_character(value):
            # PostgreSQL's jsonb cannot store U+0000; refuse it here instead of failing later.
            raise serializers.ValidationError("Null characters are not allowed.")
        return value


class LeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lead
        fields = [
            "id",
            *Lead.FACT_FIELDS,
            "source",
            "status",
            "icp_score",
            "tier",
            "icp_rationale",
            "qualified_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CallPrepRequestSerializer(serializers.Serializer):
    lead = serializers.PrimaryKeyRelatedField(queryset=Lead.objects.all())
    meeting_at = serializers.DateTimeField()
    notes = serializers.CharField(max_length=5_000, required=False, allow_blank=True)


class CallPrepJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallPrepJob
        fields = [
            "id",
            "lead",
            "meeting_at",
            "meeting_notes",
            "status",
            "confidence",
            "brief",
            "queue_item_id",
            "source",
            "correlation_id",
            "error",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields
