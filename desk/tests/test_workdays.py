import datetime

import pytest

from desk.models import Holiday
from desk.workdays import add_working_days, due_date_for

SATURDAY = datetime.date(2026, 11, 28)  # ۷ آذر ۱۴۰۵
THURSDAY = datetime.date(2026, 12, 3)


@pytest.mark.django_db
def test_friday_is_skipped():
    assert add_working_days(THURSDAY, 1) == datetime.date(2026, 12, 5)  # Saturday, past Friday


@pytest.mark.django_db
def test_a_week_of_working_days_from_saturday_ends_next_saturday():
    assert add_working_days(SATURDAY, 6) == datetime.date(2026, 12, 5)


@pytest.mark.django_db
def test_holidays_from_the_admins_table_are_skipped():
    Holiday.objects.create(date=datetime.date(2026, 11, 29), name="تعطیل نمونه")
    assert add_working_days(SATURDAY, 1) == datetime.date(2026, 11, 30)


@pytest.mark.django_db
def test_extra_weekend_days_are_a_setting(settings):
    settings.MIZ_WEEKEND_DAYS = [3, 4]  # Thursday and Friday
    assert add_working_days(datetime.date(2026, 12, 2), 1) == datetime.date(2026, 12, 5)


@pytest.mark.django_db
def test_the_deadline_of_each_kind_comes_from_settings(settings):
    settings.MIZ_DEADLINE_WORKING_DAYS = {**settings.MIZ_DEADLINE_WORKING_DAYS, "complaint": 2}
    assert due_date_for("complaint", SATURDAY) == datetime.date(2026, 11, 30)


@pytest.mark.django_db
def test_nowruz_holidays_push_a_deadline_across_the_new_year():
    for day in range(20, 25):  # 1–4 Farvardin 1405 and the eve
        Holiday.objects.create(date=datetime.date(2026, 3, day), name="نوروز")
    # Thursday 19 March 2026: the next working days are after the holidays and Friday 27 March.
    assert add_working_days(datetime.date(2026, 3, 19), 1) == datetime.date(2026, 3, 21 + 4)
