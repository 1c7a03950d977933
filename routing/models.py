"""What routing keeps: the organization's rules, its confidence threshold, and every trained model version."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from persian.text import search_key


class RoutingRule(models.Model):
    """A policy stated by the organization: a phrase that sends a case to a unit, whatever the model thinks."""

    phrase = models.CharField(_("phrase"), max_length=200)
    unit = models.ForeignKey("directory.Unit", verbose_name=_("unit"), on_delete=models.PROTECT)
    priority = models.PositiveIntegerField(
        _("priority"), default=100, help_text=_("When several rules match, the highest priority wins.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    match_key = models.CharField(max_length=200, editable=False)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["-priority", "pk"]

    def __str__(self):
        return f"{self.phrase} → {self.unit}"

    def save(self, *args, **kwargs):
        # Matched across ي/ی, ك/ک, ZWNJ and digit scripts, like search.
        self.match_key = search_key(self.phrase)
        super().save(*args, **kwargs)


class RoutingSettings(models.Model):
    """The one row of routing settings the admin edits."""

    confidence_threshold = models.FloatField(
        _("confidence threshold"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("Below this probability the case goes to the triage desk instead (0 to 1)."),
    )

    class Meta:
        verbose_name = _("routing settings")
        verbose_name_plural = _("routing settings")

    def __str__(self):
        return str(_("routing settings"))

    @classmethod
    def current(cls) -> "RoutingSettings":
        return cls.objects.get_or_create(pk=1)[0]


class ModelVersion(models.Model):
    """One trained classifier, kept so that any case can say which version routed it and the admin can roll back."""

    created_at = models.DateTimeField(_("trained"), auto_now_add=True)
    features = models.CharField(_("features"), max_length=40)
    regularization = models.FloatField(_("C"), default=1.0)
    training_size = models.PositiveIntegerField(_("training examples"))
    corpus_size = models.PositiveIntegerField(_("from the shipped corpus"))
    history_size = models.PositiveIntegerField(_("from confirmed cases"))
    cv_accuracy = models.FloatField(_("cross-validated accuracy"), null=True, blank=True)
    cv_macro_f1 = models.FloatField(_("cross-validated macro-F1"), null=True, blank=True)
    labels = models.JSONField(_("units"), default=list)
    blob = models.BinaryField(editable=False)
    # Which examples it learned from, so periodic retraining can tell when there is nothing new.
    examples_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active")]

    def __str__(self):
        return f"v{self.pk}"

    @property
    def label(self) -> str:
        return f"v{self.pk}"
