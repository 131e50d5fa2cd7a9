"""Granting an app's permissions to the fixed groups, from data migrations.

Each app's permission migration names its grants (``{group: codenames}``) and calls these two
functions. Migrations run them forever, so their behaviour must stay backward compatible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.management import create_permissions


def grant(apps, app_label: str, grants: Mapping[str, Iterable[str]]) -> None:
    """Create the app's permissions now (they are normally created after migrate) and add each
    group's codenames to it, creating the group by name when its own migration has not run.

    Works with the migration state's app registry and with the real one (tests re-apply grants
    after a transactional flush): the migration state's app config is a stub whose
    ``models_module`` create_permissions reads only as a "has models" flag, so it is set for the
    call and put back afterwards.
    """
    app_config = apps.get_app_config(app_label)
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=list(codenames)
            )
        )


def revoke(apps, app_label: str, grants: Mapping[str, Iterable[str]]) -> None:
    """Take back what ``grant`` gave (the groups themselves stay)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=list(grants)):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=list(grants[group.name])
            )
        )
