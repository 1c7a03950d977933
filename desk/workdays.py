"""Working-day arithmetic of the Iranian administrative calendar: weekend days and the holiday table."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from desk.models import Holiday

# A deadline never needs more than a few months of calendar: bound the holiday query.
_HORIZON_DAYS = 370


def is_working_day(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() not in settings.MIZ_WEEKEND_DAYS and day not in holidays


def add_working_days(start: datetime.date, working_days: int) -> datetime.date:
    """The date `working_days` working days after `start` (the start day itself does not count)."""
    if working_days <= 0:
        return start
    if len(set(settings.MIZ_WEEKEND_DAYS)) >= 7:
        raise ImproperlyConfigured("MIZ_WEEKEND_DAYS leaves no working day in the week.")
    holidays = set(
        Holiday.objects.filter(date__gt=start, date__lte=start + datetime.timedelta(days=_HORIZON_DAYS)).values_list(
            "date", flat=True
        )
    )
    day = start
    remaining = working_days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def due_date_for(kind: str, received: datetime.date) -> datetime.date:
    return add_working_days(received, settings.MIZ_DEADLINE_WORKING_DAYS[kind])
