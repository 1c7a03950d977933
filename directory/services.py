"""The organization chart: loading the default organization (idempotent), and who heads or staffs what."""

from django.db import transaction

from directory.default_data import SAMPLE_EMAIL, SAMPLE_HOLDER, SAMPLE_HOURS, SAMPLE_PHONE, UNITS
from directory.models import Position, StaffMembership, Topic, Unit


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
