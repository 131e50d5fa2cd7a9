"""Serializers of the traces API."""

from __future__ import annotations

import math
import re

from rest_framework import serializers

from caio_site.runtime.correlation import clean_correlation_id
from traces.choices import AGENT_CHOICES, MAX_CONTEXT_REFS, SCHEMA_VERSION, TraceStatus
from traces.ingest import MAX_BATCH
from traces.models import TraceEnvelope
from traces.redaction import contains_secret

_TOOL_NAME = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)+$")
# A raw summary longer than this is not a summary; the stored one is cut to 500 anyway.
MAX_RAW_SUMMARY_CHARS = 20_000


class TraceEnvelopeSerializer(serializers.ModelSerializer):
    """A stored envelope (already redacted)."""

    class Meta:
        model = TraceEnvelope
        fields = list(TraceEnvelope.ENVELOPE_FIELDS)
        read_only_fields = fields


def _no_secret(value: str) -> str:
    # Identifiers are stored as given, so one that carries a credential is refused outright.
    if value and contains_secret(value):
        raise serializers.ValidationError("Must not contain a credential.")
    return value


class SummaryField(serializers.JSONField):
    """Text or any JSON value; redacted and cut to 500 characters when stored."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if isinstance(data, str) and len(data) > MAX_RAW_SUMMARY_CHARS:
            raise serializers.ValidationError(
                f"At most {MAX_RAW_SUMMARY_CHARS} characters (it is stored cut to 500)."
            )
        return data


class TraceEnvelopeInSerializer(serializers.Serializer):
    """One envelope posted by an external agent; DESIGN section 5 field names."""

    id = serializers.UUIDField(required=False, help_text="Generated when absent.")
    timestamp = serializers.DateTimeField()
    correlation_id = serializers.CharField(max_length=128)
    case_id = serializers.CharField(max_length=128, required=False, allow_null=True)
    parent_id = serializers.UUIDField(required=False, allow_null=True)
    agent = serializers.ChoiceField(choices=AGENT_CHOICES)
    tool_name = serializers.CharField(max_length=128)
    tool_input_summary = SummaryField(required=False, allow_null=True)
    tool_output_summary = SummaryField(required=False, allow_null=True)
    retrieved_context_refs = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=MAX_CONTEXT_REFS,
        required=False,
        default=list,
    )
    status = serializers.ChoiceField(choices=TraceStatus.choices)
    duration_ms = serializers.FloatField(min_value=0)
    error_code = serializers.CharField(max_length=64, required=False, allow_null=True)
    error_message = serializers.CharField(
        max_length=10_000, required=False, allow_null=True, allow_blank=True
    )
    schema_version = serializers.IntegerField(
        min_value=1, max_value=SCHEMA_VERSION, required=False, default=SCHEMA_VERSION
    )

    def validate_correlation_id(self, value):
        if clean_correlation_id(value) is None:
            raise serializers.ValidationError("Use 1-128 characters of A-Z a-z 0-9 . _ : -")
        return _no_secret(value)

    def validate_case_id(self, value):
        return _no_secret(value) or None

    def validate_tool_name(self, value):
        if not _TOOL_NAME.match(value):
            raise serializers.ValidationError("Use <integration>.<action>, e.g. crm.read_contact.")
        return _no_secret(value)

    def validate_error_code(self, value):
        return _no_secret(value) or None

    def validate_duration_ms(self, value):
        if not math.isfinite(value):
            raise serializers.ValidationError("Must be a finite number.")
        return value

    def validate(self, attrs):
        if attrs["status"] == TraceStatus.OK:
            if attrs.get("error_code") or attrs.get("error_message"):
                raise serializers.ValidationError(
                    {"error_code": "Only error or blocked envelopes carry an error."}
                )
        elif not attrs.get("error_code"):
            raise serializers.ValidationError(
                {"error_code": "Required when status is error or blocked."}
            )
        return attrs


class TraceBatchSerializer(serializers.Serializer):
    """``{"envelopes": [...]}``: 1 to 1,000 envelopes; errors are keyed by item index."""

    envelopes = TraceEnvelopeInSerializer(many=True, min_length=1, max_length=MAX_BATCH)


class TraceBatchResultSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="Envelopes in the request.")
    stored = serializers.IntegerField(help_text="New ones; ids already stored are skipped.")
    ids = serializers.ListField(child=serializers.UUIDField())


def validate_batch(data) -> list[dict]:
    """The validated items of a batch request, or a ValidationError whose ``envelopes`` entry
    names each bad item by its index (``{"envelopes": {"3": {"status": [...]}}}``)."""
    envelopes = data.get("envelopes") if isinstance(data, dict) else None
    if not isinstance(envelopes, list):
        raise serializers.ValidationError({"envelopes": ["Expected a list of envelopes."]})
    if not envelopes:
        raise serializers.ValidationError({"envelopes": ["Send at least one envelope."]})
    if len(envelopes) > MAX_BATCH:
        raise serializers.ValidationError(
            {"envelopes": [f"At most {MAX_BATCH} envelopes per request (got {len(envelopes)})."]}
        )
    items, errors, seen = [], {}, set()
    for index, raw in enumerate(envelopes):
        if not isinstance(raw, dict):
            errors[str(index)] = {"non_field_errors": ["Expected an object."]}
            continue
        serializer = TraceEnvelopeInSerializer(data=raw)
        if not serializer.is_valid():
            errors[str(index)] = serializer.errors
            continue
        item = serializer.validated_data
        if item.get("id") is not None:
            if item["id"] in seen:
                errors[str(index)] = {"id": ["Repeats the id of an earlier item in this batch."]}
                continue
            seen.add(item["id"])
        items.append(item)
    if errors:
        raise serializers.ValidationError({"envelopes": errors})
    return items
