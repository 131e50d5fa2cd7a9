"""Calendar integration: upcoming meetings with leads."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from agents.integrations import NotConfigured, dataset


class Simulated:
    """Simulated calendar over agents/data/calendar.json (events anchored to the current UTC day)."""

    def get_events(
        self, *, attendee: str = "", start: str = "", end: str = "", timeout=None
    ) -> dict:
        anchor = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        window_start = _parse(start) or timezone.now()
        window_end = _parse(end) or window_start + timedelta(hours=24)
        attendee = (attendee or "").strip().lower()
        events = []
        for event in dataset("calendar")["events"]:
            at = anchor + timedelta(hours=event["offset_hours"])
            if attendee and event["attendee"] != attendee:
                continue
            if window_start <= at <= window_end:
                events.append(
                    {
                        "attendee": event["attendee"],
                        "at": at.isoformat(),
                        "title": event["title"],
                        "notes": event.get("notes", ""),
                    }
                )
        return {"events": events, "source": "calendar:simulated"}


class Live:
    """Live calendar (no provider wired yet: every call raises NotConfigured)."""

    def get_events(self, **kwargs) -> dict:
        raise NotConfigured("calendar live mode has no provider configured")


def _parse(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, timezone.utc)
