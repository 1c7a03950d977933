"""Working-day arithmetic of the Iranian administrative calendar: weekend days, fixed and tabled holidays."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from desk.holidays import holidays_between

# A deadline never needs more than a few months of calendar: bound the holiday query.
_HORIZON_DAYS = 370
_ONE_DAY = datetime.timedelta(days=1)


def is_working_day(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() not in settings.MIZ_WEEKEND_DAYS and day not in holidays


def add_working_days(start: datetime.date, working_days: int) -> datetime.date:
    """The date `working_days` working days after `start` (the start day itself does not count)."""
    if working_days <= 0:
        return start
    if len(set(settings.MIZ_WEEKEND_DAYS)) >= 7:
        raise ImproperlyConfigured("MIZ_WEEKEND_DAYS leaves no working day in the week.")
    holidays = holidays_between(start + _ONE_DAY, start + datetime.timedelta(days=_HORIZON_DAYS))
    day = start
    remaining = working_days
    while remaining:
        day += _ONE_DAY
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days d there are with start < d <= end (0 when end is not after start).

    The inverse of add_working_days: working_days_between(start, add_working_days(start, n)) == n.
    """
    if end <= start:
        return 0
    return count_working_days(start, end, holidays_between(start + _ONE_DAY, end))


def count_working_days(start: datetime.date, end: datetime.date, holidays: set[datetime.date]) -> int:
    """working_days_between with the holidays already read: one query serves a whole page of deadlines."""
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + offset * _ONE_DAY, holidays))


def working_days_for(kind: str) -> int:
    """The deadline of a kind: what the admin set (answer deadlines), else the setting's default."""
    from desk.models import KindDeadline

    chosen = KindDeadline.objects.filter(kind=kind).values_list("working_days", flat=True).first()
    return chosen if chosen is not None else settings.MIZ_DEADLINE_WORKING_DAYS[kind]


def due_date_for(kind: str, received: datetime.date) -> datetime.date:
    return add_working_days(received, working_days_for(kind))
