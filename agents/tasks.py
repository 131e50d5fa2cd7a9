"""Celery tasks of the agents app: thin callers of domain functions, taking primary keys."""
