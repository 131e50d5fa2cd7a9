"""Celery tasks of the approvals app: thin callers of domain functions, taking primary keys."""
