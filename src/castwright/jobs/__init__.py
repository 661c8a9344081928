"""JobQueue seam: inline worker processes by default (Celery in a later issue)."""

from castwright.jobs.base import JobQueue
from castwright.jobs.registry import job_handler, registered_kinds

__all__ = ["JobQueue", "job_handler", "registered_kinds"]
