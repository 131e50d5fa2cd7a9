"""caio_site migrations: the four groups and the scheduler-run view permission."""

from django.contrib.auth.models import Group


def test_the_four_groups_exist_after_migrate(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"head_of_sales", "operator", "viewer", "api_client"} <= names


def test_operators_and_viewers_may_view_scheduler_runs(db):
    for name in ("operator", "viewer"):
        codenames = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        assert "view_schedulerrun" in codenames
    api_perms = Group.objects.get(name="api_client").permissions.values_list("codename", flat=True)
    assert "view_schedulerrun" not in api_perms
