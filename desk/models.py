"""Data the back office keeps: the calendar of days off."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """An official day off; deadlines in working days skip it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("occasion"), max_length=200)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date}: {self.name}"
