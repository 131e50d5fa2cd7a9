"""The suppression list: addresses and domains that must never receive outbound email."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from approvals.choices import SuppressionReason, SuppressionSource
from approvals.models import Suppression


def _domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def suppression_for(email: str) -> Suppression | None:
    """The suppression covering ``email`` (the address itself or its domain), or None."""
    email = (email or "").strip().lower()
    if not email:
        return None
    query = Q(email=email)
    domain = _domain_of(email)
    if domain:
        query |= Q(domain=domain)
    return Suppression.objects.filter(query).order_by("created_at").first()


def suppress(
    *,
    email: str = "",
    domain: str = "",
    reason: SuppressionReason,
    source: SuppressionSource,
    note: str = "",
) -> Suppression:
    """Suppress an address or a domain (exactly one); an existing entry is returned unchanged."""
    email = (email or "").strip().lower()
    domain = (domain or "").strip().lower().lstrip("@")
    if bool(email) == bool(domain):
        raise ValueError("suppress() needs exactly one of email or domain")
    lookup = {"email": email} if email else {"domain": domain}
    existing = Suppression.objects.filter(**lookup)
    found = existing.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Suppression.objects.create(
                email=email, domain=domain, reason=reason, source=source, note=note
            )
    except IntegrityError:
        # A concurrent writer suppressed the same key first.
        return existing.get()
