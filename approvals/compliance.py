"""The compliance footer every outbound email carries, and the checks on rendered messages.

The footer holds a per-recipient unsubscribe link (``/u/<signed token>/``) and the sender's
postal address. Drafts reach the queue with the footer already rendered for their recipient, so
the rubric and the send-time re-check look at exactly the text that will go out.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "approvals.unsubscribe"
# The footer starts with the conventional signature delimiter, so the part a human wrote can be
# told from the footer without guessing.
FOOTER_DELIMITER = "\n-- \n"
_UNSUBSCRIBE_PATH = re.compile(r"/u/(?P<token>[A-Za-z0-9_\-:.]+)/")
PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\[[A-Z][A-Z0-9_ ]{2,}\]|\{[a-z_]+\}")


def unsubscribe_token(email: str) -> str:
    """A signed, non-expiring token naming the address (links in old emails must keep working)."""
    return signing.Signer(salt=_SALT).sign_object({"e": email.strip().lower()})


def email_from_token(token: str) -> str | None:
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    email = data.get("e") if isinstance(data, dict) else None
    return email if isinstance(email, str) and "@" in email else None


def unsubscribe_url(email: str) -> str:
    path = reverse("approvals:unsubscribe", args=[unsubscribe_token(email)])
    return f"{settings.SITE_URL}{path}"


def footer(unsubscribe_url: str) -> str:
    """The text appended to every outbound email body."""
    return (
        f"{FOOTER_DELIMITER}"
        f"{settings.SENDER_POSTAL_ADDRESS}\n"
        f"Not the right person, or prefer no more emails? Unsubscribe: {unsubscribe_url}"
    )


def with_footer(body: str, email: str) -> str:
    """``body`` with the recipient's footer appended (once)."""
    return strip_footer(body).rstrip() + "\n" + footer(unsubscribe_url(email))


def strip_footer(body: str) -> str:
    """The human-written part of a body: everything before the last footer delimiter."""
    head, sep, _ = body.rpartition(FOOTER_DELIMITER)
    return head if sep else body


def unsubscribe_tokens_in(text: str) -> list[str]:
    return [m.group("token") for m in _UNSUBSCRIBE_PATH.finditer(text)]


def check_rendered(subject: str, body: str, recipient: str) -> list[str]:
    """Problems that must stop a send of the final rendered message; empty means compliant."""
    problems = []
    recipient = recipient.strip().lower()
    if not any(email_from_token(t) == recipient for t in unsubscribe_tokens_in(body)):
        problems.append("no unsubscribe link for this recipient")
    if settings.SENDER_POSTAL_ADDRESS not in body:
        problems.append("sender postal address missing")
    if PLACEHOLDER.search(subject) or PLACEHOLDER.search(body):
        problems.append("unrendered placeholder")
    if not strip_footer(body).strip():
        problems.append("empty body")
    return problems
