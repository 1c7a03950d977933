"""Loading the default organization; idempotent, so running it again keeps what the admin changed."""

from django.db import transaction

from directory.default_data import SAMPLE_EMAIL, SAMPLE_HOLDER, SAMPLE_HOURS, SAMPLE_PHONE, UNITS
from directory.models import Position, Topic, Unit


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
