"""Celery tasks of the traces app: thin callers of domain functions, taking primary keys."""
