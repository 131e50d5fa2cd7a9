"""approvals.defaults is the one copy of the default policy: the data migration loads exactly it,
the model defaults are its values, and the rubric's checks and their rows match one to one."""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations.special import RunPython

from approvals import defaults
from approvals.models import (
    MeetingPrepPolicy,
    RejectionCategory,
    RubricCheck,
    SegmentStandard,
    SendingLimits,
    SlaPolicy,
)
from approvals.rubric import REGISTRY

pytestmark = pytest.mark.django_db

# The migration that loads the policy data (rename here when migrations are squashed).
DATA_MIGRATION = ("approvals", "0002_default_policy_data")
SINGLETONS = [
    (SlaPolicy, defaults.SLA_POLICY),
    (MeetingPrepPolicy, defaults.MEETING_PREP_POLICY),
    (SendingLimits, defaults.SENDING_LIMITS),
]
SINGLETON_NAMES = [model.__name__ for model, _ in SINGLETONS]


def _delete_policy_rows() -> None:
    for model in (RejectionCategory, RubricCheck, SegmentStandard, *(m for m, _ in SINGLETONS)):
        model.objects.all().delete()


def _run_data_migration() -> None:
    """Run the data migration's code on the schema it was written for (its historical models)."""
    loader = MigrationExecutor(connection).loader
    state = loader.project_state(DATA_MIGRATION, at_end=False)
    operations = [
        op for op in loader.get_migration(*DATA_MIGRATION).operations if isinstance(op, RunPython)
    ]
    assert operations, f"{DATA_MIGRATION} has no RunPython operation"
    for operation in operations:
        operation.code(state.apps, None)


def _stored_policy() -> dict:
    return {
        "categories": list(
            RejectionCategory.objects.values(
                "key", "name", "description", "policy", "examples", "position", "active"
            )
        ),
        "checks": list(
            RubricCheck.objects.values("key", "name", "severity", "params", "position", "enabled")
        ),
        "standards": list(SegmentStandard.objects.values(*defaults.SEGMENT_STANDARDS[0])),
        **{m.__name__: list(m.objects.values(*values)) for m, values in SINGLETONS},
    }


def _default_policy() -> dict:
    return {
        "categories": [
            {**category, "position": position, "active": True}
            for position, category in enumerate(defaults.REJECTION_CATEGORIES)
        ],
        "checks": [
            {**check, "position": position, "enabled": True}
            for position, check in enumerate(defaults.RUBRIC_CHECKS)
        ],
        "standards": defaults.SEGMENT_STANDARDS,
        **{m.__name__: [values] for m, values in SINGLETONS},
    }


def test_the_data_migration_loads_exactly_the_defaults_module():
    _delete_policy_rows()

    _run_data_migration()

    assert _stored_policy() == _default_policy()


def test_the_migrated_database_holds_the_defaults():
    assert _stored_policy() == _default_policy()


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_next_test_finds_the_migrated_policy_and_grants_again():
    # A transactional test ends with this flush; tests/conftest.py puts the data back.
    call_command("flush", interactive=False, verbosity=0)

    assert _stored_policy() == _default_policy()
    decide = Group.objects.get(name="head_of_sales").permissions.filter(codename="decide_queueitem")
    assert decide.exists()


def test_loading_the_defaults_again_keeps_what_the_head_of_sales_changed():
    RubricCheck.objects.filter(key="subject_length").update(params={"max_chars": 45})
    SlaPolicy.objects.update(target_hours=6)
    SegmentStandard.objects.filter(tier="tier_1").delete()

    defaults.install(django_apps)

    assert RubricCheck.objects.get(key="subject_length").params == {"max_chars": 45}
    assert SlaPolicy.objects.get().target_hours == 6
    # A missing row is put back; an existing one is never overwritten.
    assert SegmentStandard.objects.filter(tier="tier_1").exists()


@pytest.mark.parametrize(("model", "values"), SINGLETONS, ids=SINGLETON_NAMES)
def test_the_model_defaults_are_the_defaults_module(model, values):
    assert {name: getattr(model(), name) for name in values} == values


@pytest.mark.parametrize(("model", "values"), SINGLETONS, ids=SINGLETON_NAMES)
def test_a_missing_singleton_is_recreated_with_the_defaults(model, values):
    model.objects.all().delete()

    assert {name: getattr(model.current(), name) for name in values} == values


def test_each_meeting_prep_policy_gets_its_own_required_fields_list():
    first, second = MeetingPrepPolicy(), MeetingPrepPolicy()
    first.required_fields.append("budget")

    assert second.required_fields == defaults.MEETING_PREP_POLICY["required_fields"]


def test_every_rubric_function_has_a_default_row_in_the_same_order():
    assert list(REGISTRY) == [check["key"] for check in defaults.RUBRIC_CHECKS]


@pytest.mark.parametrize("check", defaults.RUBRIC_CHECKS, ids=lambda c: c["key"])
def test_the_default_rubric_params_pass_their_own_validation(check):
    assert RubricCheck(key=check["key"], params=check["params"]).params_problems() == []
