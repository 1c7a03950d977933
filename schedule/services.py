"""Periodic tasks on top of Django's Tasks API, which queues and runs tasks but does not repeat them.

A scheduler process (`manage.py run_scheduler`) calls `enqueue_due` every minute. Each task's row is locked
while its due time is checked and moved, so two schedulers on two machines still enqueue a run once.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from schedule.models import ScheduledTask

logger = logging.getLogger(__name__)


def periodic_tasks() -> dict[str, datetime.timedelta]:
    return {path: datetime.timedelta(seconds=seconds) for path, seconds in settings.MIZ_PERIODIC_TASKS.items()}


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    """Put every periodic task whose interval has passed on the queue; return their paths."""
    now = now or timezone.now()
    enqueued = []
    for path, interval in periodic_tasks().items():
        ScheduledTask.objects.get_or_create(task_path=path)
        with transaction.atomic():
            row = ScheduledTask.objects.select_for_update().get(task_path=path)
            if row.last_enqueued_at is not None and now - row.last_enqueued_at < interval:
                continue
            import_string(path).enqueue()
            row.last_enqueued_at = now
            row.save(update_fields=["last_enqueued_at"])
        logger.info("periodic task %s enqueued", path)
        enqueued.append(path)
    return enqueued
