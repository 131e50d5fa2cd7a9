"""Models of the approvals app."""

from django.db import models  # noqa: F401
