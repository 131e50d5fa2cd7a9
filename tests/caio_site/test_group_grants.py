"""caio_site.group_grants: what every app's permission migration calls."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from caio_site import group_grants

pytestmark = pytest.mark.django_db

GRANTS = {"viewer": ("view_schedulerrun",), "brand_new_group": ("view_schedulerrun",)}


def _codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_grant_adds_the_codenames_and_creates_a_missing_group():
    group_grants.grant(apps, "caio_site", GRANTS)

    assert "view_schedulerrun" in _codenames("viewer")
    assert _codenames("brand_new_group") == {"view_schedulerrun"}


def test_grant_leaves_the_real_app_config_as_it_found_it():
    config = apps.get_app_config("caio_site")
    before = config.models_module

    group_grants.grant(apps, "caio_site", GRANTS)

    assert config.models_module is before


def test_revoke_takes_back_only_what_was_granted():
    group_grants.grant(apps, "caio_site", GRANTS)
    group_grants.grant(apps, "traces", {"viewer": ("view_traceenvelope",)})

    group_grants.revoke(apps, "caio_site", GRANTS)

    assert _codenames("viewer") >= {"view_traceenvelope"}
    assert "view_schedulerrun" not in _codenames("viewer")
    assert Group.objects.filter(name="brand_new_group").exists()
