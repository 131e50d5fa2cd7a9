"""Factories for golden sets, cases and replay records."""

from __future__ import annotations

import factory
from django.utils import timezone

from evaluation.choices import CaseOutcome, ReplayRunStatus
from evaluation.gate import MIN_PASS_RATE
from evaluation.models import CaseResult, GoldenCase, GoldenSet, ReplayRun


class GoldenSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoldenSet
        django_get_or_create = ("name", "version")

    name = factory.Sequence(lambda n: f"set-{n}")
    version = 1


class GoldenCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoldenCase

    golden_set = factory.SubFactory(GoldenSetFactory)
    case_id = factory.Sequence(lambda n: f"CASE_{n:03d}")
    agent = "qualify"
    input = factory.LazyFunction(lambda: {"lead": {"email": "maya.chen@brightpath-agency.example"}})
    expected_tools = factory.LazyFunction(lambda: ["crm.read_contact"])
    positive_constraints = factory.LazyFunction(lambda: [{"type": "icontains", "value": "tier"}])
    negative_constraints = factory.LazyFunction(list)


class ReplayRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplayRun

    golden_set_label = "set@v1"
    status = ReplayRunStatus.COMPLETED
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    min_pass_rate = MIN_PASS_RATE
    total = 1
    passed = 1
    pass_rate = 1.0
    mean_score = 4.5


class CaseResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseResult

    run = factory.SubFactory(ReplayRunFactory)
    case_id = factory.Sequence(lambda n: f"CASE_{n:03d}")
    agent = "qualify"
    outcome = CaseOutcome.PASSED
    overall_score = 4.5
    judge = factory.LazyFunction(lambda: {"final_verdict": "PASS: mean score 4.50 ≥ 4.0"})
