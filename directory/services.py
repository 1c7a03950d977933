"""The organization chart: loading the default organization (idempotent), and who heads or staffs what."""

from dataclasses import dataclass, field

from django.db import models, transaction

from directory.default_data import (
    ORGANIZATION_HEAD_TITLE,
    SAMPLE_EMAIL,
    SAMPLE_HOLDER,
    SAMPLE_HOURS,
    SAMPLE_PHONE,
    UNITS,
)
from directory.models import Position, StaffMembership, Topic, Unit
from persian.text import search_key


@transaction.atomic
def load_default_organization() -> int:
    """Create every default unit, its head position and its topics that do not exist yet; return how many units."""
    created = 0
    for order, (code, parent_code, name, name_en, handles, head_title, topics) in enumerate(UNITS, start=1):
        unit, was_created = Unit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "handles": handles,
                "order": order,
                "parent": Unit.objects.get(code=parent_code) if parent_code else None,
            },
        )
        if not was_created:
            continue
        created += 1
        Position.objects.create(
            unit=unit,
            title=head_title,
            holder_name=SAMPLE_HOLDER,
            is_head=True,
            phone=SAMPLE_PHONE.format(index=order),
            email=SAMPLE_EMAIL.format(code=code),
            office_hours=SAMPLE_HOURS,
            is_sample=True,
        )
        Topic.objects.bulk_create(
            Topic(unit=unit, label=label, order=index) for index, label in enumerate(topics, start=1)
        )
    if not Position.objects.filter(unit__isnull=True).exists():
        # The root of the chart: the head of the organization, a sample until the organization fills it in.
        Position.objects.create(
            unit=None,
            title=ORGANIZATION_HEAD_TITLE,
            holder_name=SAMPLE_HOLDER,
            phone=SAMPLE_PHONE.format(index=0),
            email=SAMPLE_EMAIL.format(code="head"),
            office_hours=SAMPLE_HOURS,
            is_sample=True,
        )
    return created


def ancestors(unit: Unit) -> list[Unit]:
    """The units above this one, nearest first (a chart is a few levels deep)."""
    found, current, seen = [], unit, {unit.pk}
    while current.parent_id is not None and current.parent_id not in seen:
        current = Unit.objects.get(pk=current.parent_id)
        seen.add(current.pk)
        found.append(current)
    return found


def is_head_over(user, unit: Unit) -> bool:
    """Head of this unit or of one above it: who approves answers, assigns cases and receives escalations."""
    from directory.scope import scope_of

    return unit.pk in scope_of(user).headed_unit_ids


def heads_of(unit: Unit):
    """The people who head this unit (usually one)."""
    from django.contrib.auth.models import User

    return User.objects.filter(
        is_active=True, memberships__unit=unit, memberships__role=StaffMembership.Role.HEAD
    ).order_by("pk")


def members_of(unit: Unit):
    """Everyone a case of this unit may be assigned to: its staff and heads."""
    from django.contrib.auth.models import User

    return User.objects.filter(is_active=True, memberships__unit=unit).distinct().order_by("first_name", "username")


# --- The public directory ----------------------------------------------------------------------------


@dataclass
class ChartNode:
    unit: Unit
    head: Position | None
    children: list["ChartNode"] = field(default_factory=list)


def organization_chart() -> tuple[list[Position], list[ChartNode]]:
    """The head(s) of the organization, and the tree of active units below them, each with its head."""
    units = list(Unit.objects.active().exclude(code=Unit.TRIAGE_CODE).order_by("order", "name"))
    heads = {p.unit_id: p for p in Position.objects.filter(is_head=True, unit__isnull=False)}
    nodes = {unit.pk: ChartNode(unit=unit, head=heads.get(unit.pk)) for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(nodes[unit.pk])
    top = list(Position.objects.filter(unit__isnull=True).order_by("order", "title"))
    return top, roots


def public_unit(code: str) -> Unit | None:
    """A unit's page: the unit with its phones, positions and public topics, in four queries."""
    return (
        Unit.objects.active()
        .exclude(code=Unit.TRIAGE_CODE)
        .filter(code=code)
        .prefetch_related(
            "phones",
            models.Prefetch("positions", queryset=Position.objects.order_by("-is_head", "order", "title")),
            models.Prefetch("topics", queryset=Topic.objects.filter(is_public=True).order_by("order", "label")),
        )
        .first()
    )


def people(query: str = "") -> list[Position]:
    """Managers and deputies, matched by name, title or unit across ي/ی, ك/ک, ZWNJ and digit scripts."""
    everyone = list(
        Position.objects.filter(models.Q(unit__isnull=True) | models.Q(unit__is_active=True))
        .select_related("unit")
        .order_by("unit__order", "-is_head", "order", "title")
    )
    words = search_key(query).split()
    if not words:
        return everyone
    found = []
    for position in everyone:
        haystack = search_key(f"{position.title} {position.holder_name} {position.unit.name if position.unit else ''}")
        if all(word in haystack for word in words):
            found.append(position)
    return found
