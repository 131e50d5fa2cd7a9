"""Celery tasks of the evaluation app: thin callers of domain functions, taking primary keys."""
