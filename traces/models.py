"""Models of the traces app."""

from django.db import models  # noqa: F401
