"""evaluation.demo: seeds our golden set and the seed file, idempotently."""

from __future__ import annotations

import pytest

from evaluation import demo
from evaluation.models import GoldenCase, GoldenSet

pytestmark = pytest.mark.django_db


def test_it_imports_both_sets_once_and_keeps_edits_on_a_second_run():
    demo.seed()
    assert set(GoldenSet.objects.values_list("name", flat=True)) == {"caio-gtm", "v1_seed"}
    assert GoldenSet.objects.get(name="v1_seed").cases.count() == 50
    edited = GoldenCase.objects.filter(golden_set__name="caio-gtm").first()
    edited.severity = "minor"
    edited.save()
    count = GoldenCase.objects.count()
    demo.seed()
    assert GoldenCase.objects.count() == count
    edited.refresh_from_db()
    assert edited.severity == "minor"
