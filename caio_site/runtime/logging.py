"""Log formatting: JSON lines in production, readable lines in development, both with the
correlation id of the request or job that logged."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from caio_site.runtime.correlation import correlation_id_var

_STANDARD = set(vars(logging.makeLogRecord({})))


class CorrelationIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs 4xx/5xx responses ("django.request") after the middleware chain has
        # returned and the contextvar is reset; those records carry the request instead.
        request_id = getattr(getattr(record, "request", None), "correlation_id", None)
        record.correlation_id = request_id or correlation_id_var.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in payload and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)
