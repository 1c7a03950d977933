"""The official holidays of Iran.

Those fixed in the solar (Jalali) calendar are computed here for any year. Those of the lunar (Hijri)
calendar move every year and are fixed by the official calendar authority, so the administrator loads them
into the Holiday table (`manage.py load_lunar_holidays`, see docs/holidays.md).
"""

import datetime

import jdatetime
from django.utils.translation import gettext_lazy as _

from desk.models import Holiday

# (Jalali month, day, occasion)
_FIXED = (
    (1, 1, _("Nowruz")),
    (1, 2, _("Nowruz")),
    (1, 3, _("Nowruz")),
    (1, 4, _("Nowruz")),
    (1, 12, _("Islamic Republic Day")),
    (1, 13, _("Nature Day (Sizdah Bedar)")),
    (3, 14, _("Demise of Imam Khomeini")),
    (3, 15, _("Uprising of 15 Khordad")),
    (11, 22, _("Victory of the Islamic Revolution")),
    (12, 29, _("Nationalization of the oil industry")),
)


def _fixed_dates(jalali_year: int) -> list[datetime.date]:
    return [jdatetime.date(jalali_year, month, day).togregorian() for month, day, _name in _FIXED]


def fixed_holidays(jalali_year: int) -> list[tuple[datetime.date, str]]:
    """The holidays on fixed dates of the Jalali year, as (Gregorian date, occasion), in date order."""
    return [(jdatetime.date(jalali_year, month, day).togregorian(), str(name)) for month, day, name in _FIXED]


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Every holiday d with start <= d <= end: the fixed ones and the Holiday table's (one query)."""
    if end < start:
        return set()
    first_year = jdatetime.date.fromgregorian(date=start).year
    last_year = jdatetime.date.fromgregorian(date=end).year
    days = {day for year in range(first_year, last_year + 1) for day in _fixed_dates(year) if start <= day <= end}
    days.update(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))
    return days
