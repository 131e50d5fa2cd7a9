"""Public pages of the approvals app: the unsubscribe link every outbound email carries."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from approvals.choices import SuppressionReason, SuppressionSource
from approvals.compliance import email_from_token
from approvals.decisions import stop_contacting
from approvals.suppression import suppression_for


def _mask(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 1)}@{domain}"


# Mail clients' one-click unsubscribe (RFC 8058) POSTs without a CSRF token; the signed token
# in the URL is the authorisation, and the only effect is to stop email to that address.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows a one-button confirmation (link scanners must not unsubscribe people);
    POST suppresses the address and cancels the lead's pending drafts. No login."""
    email = email_from_token(token)
    if email is None:
        raise Http404("This unsubscribe link is not valid.")
    done = suppression_for(email) is not None
    if request.method == "POST":
        stop_contacting(
            email, reason=SuppressionReason.UNSUBSCRIBED, source=SuppressionSource.UNSUBSCRIBE_LINK
        )
        done = True
    return render(request, "approvals/unsubscribe.html", {"address": _mask(email), "done": done})
