"""JobQueue seam: inline worker processes by default, Celery workers on Redis by config."""

from castwright.jobs.base import JobQueue
from castwright.jobs.registry import job_handler, registered_kinds

__all__ = ["JobQueue", "job_handler", "registered_kinds"]
