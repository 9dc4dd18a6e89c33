"""Celery tasks, one module per concern."""
