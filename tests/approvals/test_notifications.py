"""Who is told about queue events: whoever holds the decide permission, and the ops list."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from approvals.notifications import head_of_sales_recipients
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_recipients_are_the_active_deciders_and_the_ops_list(hos, operator, viewer, settings):
    settings.OPS_NOTIFICATION_EMAILS = ["ops@caio.example"]
    for user in (hos, operator, viewer):
        user.email = f"{user.username}@caio.example"
        user.save()
    standing_in = UserFactory(username="stand-in", email="stand-in@caio.example")
    standing_in.user_permissions.add(Permission.objects.get(codename="decide_queueitem"))
    UserFactory(username="left", email="left@caio.example", is_active=False).groups.set(
        hos.groups.all()
    )
    UserFactory(username="root", email="root@caio.example", is_superuser=True)

    assert head_of_sales_recipients() == [
        "hos@caio.example",
        "ops@caio.example",
        "stand-in@caio.example",
    ]
