"""Template filters for Persian display; registered as a builtin, so no {% load %} is needed.

None of them marks its output safe: values may come from citizens, so autoescape must still apply.
Like Django's own date filter, they render "" for a missing or wrong-typed value instead of
breaking the page.
"""

import datetime
from collections.abc import Callable

import jdatetime as jdt
from django import template

from persian.jalali import format_date, format_date_long, format_datetime, format_numeric_date
from persian.text import to_persian_digits
from persian.validators import format_mobile

register = template.Library()


def _date_or_empty(value: object, formatter: Callable[[datetime.date], str]) -> str:
    if not isinstance(value, datetime.date | jdt.date):
        return ""
    return formatter(value)


@register.filter
def fa_digits(value: object) -> str:
    """Numbers in Persian digits, as Persian readers expect."""
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def jdate(value: object) -> str:
    """The interface's date form, e.g. ۸ آذر ۱۴۰۵."""
    return _date_or_empty(value, format_date)


@register.filter
def jdate_long(value: object) -> str:
    """With the weekday, e.g. شنبه ۸ آذر ۱۴۰۵, where the day matters (deadlines)."""
    return _date_or_empty(value, format_date_long)


@register.filter(name="jdatetime")
def jdatetime_filter(value: object) -> str:
    """Date and Tehran time, e.g. ۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵, for events in a case's history."""
    return _date_or_empty(value, format_datetime)


@register.filter
def jdate_numeric(value: object) -> str:
    """Compact, e.g. ۱۴۰۵/۰۹/۰۸, for tables."""
    return _date_or_empty(value, format_numeric_date)


@register.filter
def mobile(value: object) -> str:
    """A stored E.164 mobile in the national form people recognise, e.g. ۰۹۱۴ ۱۲۳ ۴۵۶۷."""
    return format_mobile(str(value)) if value else ""


@register.filter
def percent(value: object) -> str:
    """A probability (0 to 1) as a whole Persian percentage: ۸۷٪."""
    if not isinstance(value, int | float):
        return ""
    return to_persian_digits(f"{value * 100:.0f}٪")
