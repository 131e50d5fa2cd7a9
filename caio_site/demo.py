"""Demo users for ``manage.py seed_demo`` (idempotent).

Passwords come from ``DEMO_PASSWORD`` when set; otherwise each user gets a random password that
is printed once, when the user is created. A user that already exists is left as it is (its
password is not reset), so re-running the seed never locks anyone out.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from rest_framework.authtoken.models import Token

from caio_site import roles


@dataclass(frozen=True)
class DemoUser:
    username: str
    group: str | None
    is_staff: bool
    is_superuser: bool = False
    token: bool = False
    role: str = ""


DEMO_USERS = (
    DemoUser("admin", None, True, is_superuser=True, role="superuser"),
    DemoUser("hos", roles.HEAD_OF_SALES, True, role="Head of Sales: approves drafts"),
    DemoUser("operator", roles.OPERATOR, True, role="operator: runs jobs, reads everything"),
    DemoUser("viewer", roles.VIEWER, True, role="read-only"),
    DemoUser("api", roles.API_CLIENT, False, token=True, role="API client (token auth)"),
)


def _password() -> str:
    return settings.DEMO_PASSWORD or secrets.token_urlsafe(12)


@transaction.atomic
def ensure_user(spec: DemoUser) -> tuple[object, str | None]:
    """Create ``spec`` if missing; returns the user and the password when it was created."""
    User = get_user_model()
    user = User.objects.filter(username=spec.username).first()
    password = None
    if user is None:
        password = _password()
        user = User(
            username=spec.username,
            email=f"{spec.username}@caio.example",
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        user.set_password(password)
        user.save()
    if spec.group:
        group, _ = Group.objects.get_or_create(name=spec.group)
        user.groups.add(group)
    if spec.token:
        Token.objects.get_or_create(user=user)
    return user, password


def seed(*, stdout, style) -> None:
    stdout.write(style.MIGRATE_HEADING("Demo users"))
    stdout.write(f"  Log in at {settings.SITE_URL}/admin/")
    for spec in DEMO_USERS:
        user, password = ensure_user(spec)
        if password is not None:
            line = f"  {spec.username:<9} password: {password}   ({spec.role})"
            stdout.write(style.SUCCESS(line))
            if spec.token:
                stdout.write(f"  {'':<9} API token: {Token.objects.get(user=user).key}")
        else:
            stdout.write(f"  {spec.username:<9} already exists   ({spec.role})")
