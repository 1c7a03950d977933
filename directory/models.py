"""The organization: its units (a tree), the positions in them, and the topics citizens pick."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_descendants(self, units):
        """The given units and every unit below them (the tree is shallow, so a loop is enough)."""
        ids = {unit.pk for unit in units}
        frontier = set(ids)
        while frontier:
            frontier = set(self.model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return self.filter(pk__in=ids)


class Unit(models.Model):
    """A part of the organization that receives and answers cases (a deputy, an office, the triage desk)."""

    TRIAGE_CODE = "triage"

    code = models.SlugField(_("code"), max_length=32, unique=True, help_text=_("Stable identifier; never reuse."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    handles = models.TextField(_("what citizens write to it about"), blank=True)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Retired units keep their old cases."))
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    requires_answer_approval = models.BooleanField(
        _("answers need the head's approval"),
        default=False,
        help_text=_("An answer written by the unit's staff reaches the citizen only after the head approves it."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def is_triage(self) -> bool:
        return self.code == self.TRIAGE_CODE


class UnitPhone(models.Model):
    """One of a unit's numbers, with what it is: office, fax, internal line."""

    class Label(models.TextChoices):
        OFFICE = "office", _("office")
        FAX = "fax", _("fax")
        INTERNAL = "internal", _("internal line")
        MOBILE = "mobile", _("mobile")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="phones")
    label = models.CharField(_("label"), max_length=16, choices=Label.choices, default=Label.OFFICE)
    number = models.CharField(_("number"), max_length=50)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.get_label_display()}: {self.number}"


def photo_path(instance, filename):
    return f"{uuid.uuid4().hex}.jpg"


def photo_storage():
    from django.core.files.storage import storages

    return storages["photos"]


class Position(models.Model):
    """A post (the head of the organization, a deputy, a unit's manager) and who holds it, with contact details.

    A position without a unit is the head of the organization, the root of the chart.
    """

    class Holding(models.TextChoices):
        HELD = "held", _("held")
        ACTING = "acting", _("acting (سرپرست)")
        VACANT = "vacant", _("vacant")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="positions",
        help_text=_("Leave empty for the head of the organization."),
    )
    title = models.CharField(_("title"), max_length=200)
    holder_name = models.CharField(_("holder's name"), max_length=200, blank=True)
    holding = models.CharField(_("how it is held"), max_length=8, choices=Holding.choices, default=Holding.HELD)
    is_head = models.BooleanField(_("head of the unit"), default=False)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    photo = models.ImageField(_("photo"), storage=photo_storage, upload_to=photo_path, blank=True, max_length=100)
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Shipped placeholder details that the organization must replace.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit__order", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(is_head=True), name="one_head_per_unit"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_vacant(self) -> bool:
        return self.holding == self.Holding.VACANT or not self.holder_name


class OrganizationProfile(models.Model):
    """The one row of "about the organization": what the introduction page says."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "Mission and what the organization does. A blank line starts a new paragraph; web addresses become links."
        ),
    )
    address = models.TextField(_("address"), blank=True)
    working_hours = models.CharField(_("working hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    map_url = models.URLField(_("map link"), blank=True, help_text=_("A link to the building on a map service."))
    map_image = models.ImageField(
        _("map image"), storage=photo_storage, upload_to=photo_path, blank=True, max_length=100
    )

    class Meta:
        verbose_name = _("about the organization")
        verbose_name_plural = _("about the organization")

    def __str__(self):
        return str(_("about the organization"))

    @classmethod
    def current(cls) -> "OrganizationProfile":
        return cls.objects.get_or_create(pk=1)[0]


class TopicQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, unit__is_active=True).select_related("unit")


class Topic(models.Model):
    """A label a citizen may pick on the form; picking it sends the case straight to its unit."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="topics")
    label = models.CharField(_("label"), max_length=200)
    is_public = models.BooleanField(_("shown to citizens"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["unit__order", "order", "label"]

    def __str__(self):
        return self.label


class StaffMembership(models.Model):
    """Makes a user staff of a unit; the head of a unit also sees its sub-units."""

    class Role(models.TextChoices):
        STAFF = "staff", _("staff")
        HEAD = "head", _("head of unit")

    user = models.ForeignKey("auth.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="one_membership_per_unit")]

    def __str__(self):
        return f"{self.user} @ {self.unit}"
