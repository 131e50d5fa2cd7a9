"""Email integration: the one adapter that sends. Only the send pipeline may call it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


def _message(to, subject, body, from_email, headers) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to] if isinstance(to, str) else list(to),
        headers=headers or {},
    )


class Simulated:
    """Simulated email: written to files under var/sent-mail, never to a mail server."""

    # A send runs in the caller's thread: a timed-out send left running in a gateway thread
    # could still deliver after the pipeline re-queued it, and the message would go out twice.
    runs_inline = True

    def send(self, *, to, subject: str, body: str, from_email="", headers=None, timeout=None):
        if settings.EMAIL_SIMULATED:
            connection = get_connection()  # the file/locmem backend settings configured
        else:
            path = Path(settings.VAR_DIR) / "sent-mail"
            path.mkdir(parents=True, exist_ok=True)
            connection = get_connection(
                "django.core.mail.backends.filebased.EmailBackend", file_path=str(path)
            )
        sent = connection.send_messages([_message(to, subject, body, from_email, headers)])
        return {"sent": bool(sent), "simulated": True, "source": "email:simulated"}


class Live:
    """Live email: Django's configured mail backend (SMTP from EMAIL_URL)."""

    # In the caller's thread, bounded by the SMTP connection's own timeout (see Simulated).
    runs_inline = True

    def send(self, *, to, subject: str, body: str, from_email="", headers=None, timeout=None):
        connection = get_connection(timeout=timeout) if timeout else get_connection()
        sent = connection.send_messages([_message(to, subject, body, from_email, headers)])
        return {"sent": bool(sent), "simulated": False, "source": "email:live"}
