"""Data the back office keeps: the calendar of days off, deadlines per kind, saved replies."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Kind


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


class KindDeadline(models.Model):
    """The answer deadline of one kind of case, in working days; without a row the setting's default applies."""

    kind = models.CharField(_("kind"), max_length=16, unique=True, choices=Kind.choices)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )

    class Meta:
        verbose_name = _("answer deadline")
        verbose_name_plural = _("answer deadlines")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.working_days}"


class SavedReply(models.Model):
    """A reply a unit often gives; its placeholders are filled in with the case's details when it is used."""

    unit = models.ForeignKey("directory.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="replies")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("text"),
        help_text=_("You may write {name}, {code}, {unit} and {due_date}; they are replaced with the case's details."),
    )

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["unit", "title"]

    def __str__(self):
        return self.title
