import datetime
import zoneinfo

import jdatetime
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from persian.jalali import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    format_date,
    format_date_long,
    format_datetime,
    format_numeric_date,
    parse_jalali_date,
    to_jalali,
)

NOWRUZ_1405 = datetime.date(2026, 3, 21)


def test_nowruz_1405_is_the_first_of_farvardin():
    assert to_jalali(NOWRUZ_1405) == jdatetime.date(1405, 1, 1)


def test_names_are_complete():
    assert len(MONTH_NAMES) == 12 and MONTH_NAMES[0] == "فروردین" and MONTH_NAMES[-1] == "اسفند"
    assert len(WEEKDAY_NAMES) == 7 and WEEKDAY_NAMES[0] == "شنبه" and WEEKDAY_NAMES[-1] == "جمعه"


def test_date_is_formatted_with_persian_digits_and_month_name():
    assert format_date(NOWRUZ_1405) == "۱ فروردین ۱۴۰۵"
    assert format_date(datetime.date(2026, 11, 29)) == "۸ آذر ۱۴۰۵"


def test_long_date_has_the_weekday():
    assert format_date_long(NOWRUZ_1405) == "شنبه ۱ فروردین ۱۴۰۵"  # 2026-03-21 is a Saturday
    assert format_date_long(datetime.date(2026, 11, 29)) == "یکشنبه ۸ آذر ۱۴۰۵"
    assert format_date_long(datetime.date(2026, 11, 27)) == "جمعه ۶ آذر ۱۴۰۵"


def test_numeric_date_is_zero_padded():
    assert format_numeric_date(datetime.date(2026, 11, 29)) == "۱۴۰۵/۰۹/۰۸"


def test_datetime_shows_tehran_time():
    moment = datetime.datetime(2026, 11, 29, 10, 35, tzinfo=datetime.UTC)
    assert format_datetime(moment) == "۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵"


def test_late_utc_evening_is_the_next_day_in_tehran():
    moment = datetime.datetime(2026, 3, 20, 21, 0, tzinfo=datetime.UTC)
    assert format_date(moment) == "۱ فروردین ۱۴۰۵"
    assert format_date_long(moment) == "شنبه ۱ فروردین ۱۴۰۵"
    assert format_numeric_date(moment) == "۱۴۰۵/۰۱/۰۱"
    assert format_datetime(moment) == "۱ فروردین ۱۴۰۵، ساعت ۰۰:۳۰"


def test_the_current_django_time_zone_is_used():
    moment = datetime.datetime(2026, 3, 20, 21, 0, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert format_datetime(moment) == "۲۹ اسفند ۱۴۰۴، ساعت ۲۱:۰۰"


def test_plain_date_in_format_datetime_has_no_time():
    assert format_datetime(NOWRUZ_1405) == "۱ فروردین ۱۴۰۵"


def test_none_formats_as_empty():
    assert format_date(None) == format_date_long(None) == format_datetime(None) == format_numeric_date(None) == ""


@pytest.mark.parametrize("raw", ["1405/09/08", "۱۴۰۵-۰۹-۰۸", "1405/9/8", "١٤٠٥/٩/٨", " 1405.09.08 ", "۱۴۰۵/۹/08"])
def test_jalali_dates_are_parsed_in_any_digit_script(raw):
    assert parse_jalali_date(raw) == datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    "raw", ["", "1405", "1405/13/01", "1405/07/31", "1404/12/31", "14050908", "1405/09/08x", "۸ آذر"]
)
def test_invalid_jalali_dates_raise_value_error(raw):
    with pytest.raises(ValueError):
        parse_jalali_date(raw)


def test_leap_esfand_30_is_accepted_only_in_leap_years():
    assert parse_jalali_date("1403/12/30") == datetime.date(2025, 3, 20)
    with pytest.raises(ValueError):
        parse_jalali_date("1404/12/30")


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_numeric_format_parses_back_to_the_same_date(d):
    assert parse_jalali_date(format_numeric_date(d)) == d


@given(st.text())
def test_parse_jalali_date_raises_only_value_error(s):
    try:
        parse_jalali_date(s)
    except ValueError:
        pass
