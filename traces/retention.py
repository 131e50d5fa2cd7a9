"""Retention: prune old envelopes in bounded batches, except those something still holds.

Golden cases, replay results and open escalations ``hold`` the traces they point at and
``release`` them when they no longer need them; ``prune_traces`` never deletes a held envelope.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from traces.models import TraceEnvelope, TraceHold

DEFAULT_BATCH_SIZE = 5000


def hold(*, correlation_id=None, envelope_ids=None, holder, reason: str = "") -> int:
    """Keep the envelopes of ``correlation_id`` and/or ``envelope_ids`` for ``holder`` (a saved
    model instance). Holding the same thing twice is harmless; returns the holds now in place."""
    if holder.pk is None:
        raise ValueError("the holder must be saved before it can hold traces")
    holder_type = ContentType.objects.get_for_model(holder, for_concrete_model=False)
    common = {"holder_type": holder_type, "holder_id": str(holder.pk), "reason": reason[:200]}
    rows = []
    if correlation_id:
        rows.append(TraceHold(correlation_id=str(correlation_id), **common))
    for envelope_id in envelope_ids or ():
        rows.append(TraceHold(envelope_id=envelope_id, **common))
    TraceHold.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def release(holder) -> int:
    """Drop every hold ``holder`` has; returns how many went."""
    holder_type = ContentType.objects.get_for_model(holder, for_concrete_model=False)
    deleted, _ = TraceHold.objects.filter(
        holder_type=holder_type, holder_id=str(holder.pk)
    ).delete()
    return deleted


def orphaned_holds():
    """Holds whose holder row is gone (a deleted replay run or golden case): they would keep
    traces forever, since nobody is left to release them."""
    orphans = TraceHold.objects.none()
    for holder_type in ContentType.objects.filter(
        pk__in=TraceHold.objects.values("holder_type").distinct()
    ):
        model = holder_type.model_class()
        holds = TraceHold.objects.filter(holder_type=holder_type)
        if model is not None:
            holder_ids = model._default_manager.annotate(
                _holder_id=Cast("pk", output_field=CharField())
            ).values("_holder_id")
            holds = holds.exclude(holder_id__in=holder_ids)
        orphans = orphans | holds
    return orphans


@dataclasses.dataclass(frozen=True)
class PruneResult:
    cutoff: datetime.datetime
    due: int  # older than the cutoff and not held
    deleted: int
    held: int  # older than the cutoff but kept by a hold
    orphaned_holds: int = 0  # holds whose holder no longer exists (released first)


def _expired(cutoff):
    return TraceEnvelope.objects.filter(timestamp__lt=cutoff)


def _due(cutoff, holds):
    held_correlations = holds.exclude(correlation_id="").values("correlation_id")
    held_envelopes = holds.filter(envelope_id__isnull=False).values("envelope_id")
    return (
        _expired(cutoff)
        .exclude(correlation_id__in=held_correlations)
        .exclude(id__in=held_envelopes)
    )


def prune(*, days: int | None = None, dry_run: bool = False, batch_size: int = DEFAULT_BATCH_SIZE):
    """Delete envelopes older than ``days`` (default ``TRACE_RETENTION_DAYS``) that no hold
    keeps, ``batch_size`` rows per statement so the table is never locked for long. Holds whose
    holder was deleted are dropped first (counted only, on a dry run)."""
    days = settings.TRACE_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("days must be at least 1")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    cutoff = timezone.now() - datetime.timedelta(days=days)
    orphans = orphaned_holds()
    if dry_run:  # predict the real run: as if the orphaned holds were gone
        orphan_ids = list(orphans.values_list("pk", flat=True))
        orphan_count, holds = len(orphan_ids), TraceHold.objects.exclude(pk__in=orphan_ids)
    else:
        orphan_count, holds = orphans.delete()[0], TraceHold.objects.all()
    due = _due(cutoff, holds).count()
    held = _expired(cutoff).count() - due
    deleted = 0
    if not dry_run:
        while True:
            with transaction.atomic():
                ids = list(_due(cutoff, holds).values_list("id", flat=True)[:batch_size])
                if not ids:
                    break
                count, _ = TraceEnvelope.objects.filter(id__in=ids).delete()
            deleted += count
            if len(ids) < batch_size:
                break
    return PruneResult(
        cutoff=cutoff, due=due, deleted=deleted, held=held, orphaned_holds=orphan_count
    )
