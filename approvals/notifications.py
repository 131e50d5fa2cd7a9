"""Who hears about queue events: the Head of Sales group and OPS_NOTIFICATION_EMAILS."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model


def head_of_sales_recipients() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name="head_of_sales")
        .exclude(email="")
    )
    return sorted({*users.values_list("email", flat=True), *settings.OPS_NOTIFICATION_EMAILS})
