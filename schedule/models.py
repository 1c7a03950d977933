"""When each periodic task was last put on the queue: the one fact a scheduler must not lose or duplicate."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledTask(models.Model):
    """One row per periodic task of settings.MIZ_PERIODIC_TASKS, locked while deciding whether it is due."""

    task_path = models.CharField(_("task"), max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(_("last put on the queue"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")
        ordering = ["task_path"]

    def __str__(self):
        return self.task_path
