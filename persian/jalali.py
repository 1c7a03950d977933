"""Jalali (Solar Hijri) dates for display and input.

Month and weekday names live here rather than in jdatetime's locale, which is
process-global state and could be switched under a concurrent request.
"""

import datetime
import re

import jdatetime
from django.utils import timezone

from persian.text import normalize_text, to_latin_digits, to_persian_digits

MONTH_NAMES = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
# Index 0 is Saturday, the first day of the Iranian week.
WEEKDAY_NAMES = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه")

_DATE_RE = re.compile(r"([0-9]{4})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})", re.ASCII)


def to_jalali(d: datetime.date) -> jdatetime.date:
    """The Jalali date of a Gregorian date."""
    return jdatetime.date.fromgregorian(date=d)


def _local_date(value: datetime.date | jdatetime.date) -> jdatetime.date:
    """Aware datetimes are shown on the Tehran calendar day, not the UTC one."""
    if isinstance(value, jdatetime.datetime):
        value = value.togregorian()
    if isinstance(value, jdatetime.date):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return to_jalali(value)


def _local_time(value: datetime.datetime) -> datetime.time:
    if isinstance(value, jdatetime.datetime):
        value = value.togregorian()
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.time()


def _weekday_name(j: jdatetime.date) -> str:
    # Python counts from Monday=0; the Iranian week starts on Saturday.
    return WEEKDAY_NAMES[(j.togregorian().weekday() + 2) % 7]


def format_date(value: datetime.date | None) -> str:
    """The date form used across the interface, e.g. ۸ آذر ۱۴۰۵."""
    if value is None:
        return ""
    j = _local_date(value)
    return to_persian_digits(f"{j.day} {MONTH_NAMES[j.month - 1]} {j.year}")


def format_date_long(value: datetime.date | None) -> str:
    """With the weekday, for deadlines and letters, e.g. شنبه ۸ آذر ۱۴۰۵."""
    if value is None:
        return ""
    return f"{_weekday_name(_local_date(value))} {format_date(value)}"


def format_datetime(value: datetime.date | None) -> str:
    """Date and local (Tehran) time, e.g. ۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵; a plain date gets no time part."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime | jdatetime.datetime):
        return format_date(value)
    t = _local_time(value)
    return f"{format_date(value)}، ساعت {to_persian_digits(f'{t.hour:02d}:{t.minute:02d}')}"


def format_numeric_date(value: datetime.date | None) -> str:
    """Compact, for tables and exports read by people, e.g. ۱۴۰۵/۰۹/۰۸."""
    if value is None:
        return ""
    j = _local_date(value)
    return to_persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")


def parse_jalali_date(s: str) -> datetime.date:
    """A typed Jalali date (any digit script, / - or . between parts) as a Gregorian date."""
    text = to_latin_digits(normalize_text(str(s)))
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a Jalali date: {s!r}")
    year, month, day = (int(part) for part in match.groups())
    try:
        return jdatetime.date(year, month, day).togregorian()
    except (ValueError, OverflowError) as error:
        raise ValueError(f"not a Jalali date: {s!r}") from error
