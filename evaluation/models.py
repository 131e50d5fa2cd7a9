"""Models of the evaluation app."""

from django.db import models  # noqa: F401
