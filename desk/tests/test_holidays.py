import datetime
from io import StringIO
from pathlib import Path

import jdatetime
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from desk.holidays import fixed_holidays, holidays_between
from desk.models import Holiday
from desk.workdays import add_working_days, due_date_for, working_days_between

EXAMPLE_FILE = Path(__file__).resolve().parents[1] / "holiday_files" / "lunar-1405.csv"


def jalali(year: int, month: int, day: int) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


# --- Fixed holidays ---------------------------------------------------------------


def test_the_fixed_holidays_of_1405():
    days = [day for day, _name in fixed_holidays(1405)]
    assert days == [
        datetime.date(2026, 3, 21),  # 1 Farvardin 1405
        datetime.date(2026, 3, 22),
        datetime.date(2026, 3, 23),
        datetime.date(2026, 3, 24),
        datetime.date(2026, 4, 1),  # 12 Farvardin
        datetime.date(2026, 4, 2),  # 13 Farvardin
        datetime.date(2026, 6, 4),  # 14 Khordad
        datetime.date(2026, 6, 5),  # 15 Khordad
        datetime.date(2027, 2, 11),  # 22 Bahman
        datetime.date(2027, 3, 20),  # 29 Esfand, the last day of 1405
    ]
    assert all(name for _day, name in fixed_holidays(1405))


def test_the_fixed_holidays_of_other_years_and_the_leap_year_1403():
    assert fixed_holidays(1404)[0][0] == datetime.date(2025, 3, 21)
    assert fixed_holidays(1402)[0][0] == datetime.date(2023, 3, 21)
    # 1403 is a leap year: it has a 30 Esfand, and its holiday is still the 29th.
    assert jalali(1403, 12, 30) == datetime.date(2025, 3, 20)
    assert fixed_holidays(1403)[-1][0] == datetime.date(2025, 3, 19)
    assert datetime.date(2025, 3, 20) not in {day for day, _name in fixed_holidays(1403)}
    # Any year works, far from today too.
    assert [jdatetime.date.fromgregorian(date=day).day for day, _name in fixed_holidays(1500)][:4] == [1, 2, 3, 4]


def test_holiday_names_are_plain_strings_from_the_catalog():
    with translation.override("en"):
        names = dict(fixed_holidays(1405))
    assert names[datetime.date(2026, 3, 21)] == "Nowruz"
    assert names[datetime.date(2027, 2, 11)] == "Victory of the Islamic Revolution"
    assert all(type(name) is str for name in names.values())


@pytest.mark.django_db
def test_holidays_between_joins_the_fixed_ones_of_every_year_touched_and_the_table_in_one_query(
    django_assert_num_queries,
):
    Holiday.objects.create(date=datetime.date(2026, 3, 19), name="تعطیل نمونه")
    Holiday.objects.create(date=datetime.date(2026, 6, 1), name="بیرون از بازه")
    with django_assert_num_queries(1):
        days = holidays_between(datetime.date(2026, 3, 19), datetime.date(2026, 3, 22))
    # 29 Esfand 1404 and 1–2 Farvardin 1405, across the change of year, and the table's row; ends included.
    assert days == {datetime.date(2026, 3, day) for day in (19, 20, 21, 22)}
    assert holidays_between(datetime.date(2026, 3, 22), datetime.date(2026, 3, 21)) == set()


# --- Deadlines -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deadline_across_nowruz_lands_after_the_holidays():
    received = jalali(1404, 12, 25)  # Monday 16 March 2026
    assert received == datetime.date(2026, 3, 16)
    # Working days after it, Friday the only weekend day:
    #   1404/12/26 Tue (1), 12/27 Wed (2), 12/28 Thu (3), 12/29 Fri (weekend and oil day),
    #   1405/01/01–04 Sat–Tue (Nowruz), 01/05 Wed (4), 01/06 Thu (5), 01/07 Fri (weekend),
    #   01/08 Sat (6), 01/09 Sun (7), 01/10 Mon (8), 01/11 Tue (9), 01/12 Wed (Islamic Republic Day),
    #   01/13 Thu (Nature Day), 01/14 Fri (weekend), 01/15 Sat (10).
    assert add_working_days(received, 10) == jalali(1405, 1, 15) == datetime.date(2026, 4, 4)


@pytest.mark.django_db
def test_a_deadline_across_nowruz_with_thursday_off_too(settings):
    settings.MIZ_WEEKEND_DAYS = [3, 4]
    # As above, less the Thursdays 1404/12/28 and 1405/01/06: the 8th day is 1405/01/15 (Sat),
    # then 01/16 Sun (9), 01/17 Mon (10).
    assert add_working_days(jalali(1404, 12, 25), 10) == jalali(1405, 1, 17) == datetime.date(2026, 4, 6)


@pytest.mark.django_db
def test_friday_is_skipped_and_thursday_too_when_the_setting_says_so(settings):
    wednesday = datetime.date(2026, 12, 2)
    assert add_working_days(wednesday, 2) == datetime.date(2026, 12, 5)  # Thu, (Fri), Sat
    settings.MIZ_WEEKEND_DAYS = [3, 4]
    assert add_working_days(wednesday, 2) == datetime.date(2026, 12, 6)  # (Thu), (Fri), Sat, Sun


@pytest.mark.django_db
def test_a_holiday_row_is_skipped(django_assert_num_queries):
    saturday = datetime.date(2026, 11, 28)
    Holiday.objects.create(date=datetime.date(2026, 11, 30), name="تعطیل نمونه")
    with django_assert_num_queries(1):
        assert add_working_days(saturday, 3) == datetime.date(2026, 12, 2)  # Sun, (Mon), Tue, Wed


@pytest.mark.django_db
def test_due_dates_see_the_fixed_holidays(settings):
    settings.MIZ_DEADLINE_WORKING_DAYS = {**settings.MIZ_DEADLINE_WORKING_DAYS, "complaint": 1}
    # Wednesday 13 Khordad 1405; 14 Khordad (Thursday) is a fixed holiday and 15 Khordad a Friday.
    assert due_date_for("complaint", jalali(1405, 3, 13)) == jalali(1405, 3, 16)


# --- Working days between two dates ---------------------------------------------------


@pytest.mark.django_db
def test_working_days_between_counts_the_end_and_not_the_start():
    saturday = datetime.date(2026, 11, 28)
    next_saturday = datetime.date(2026, 12, 5)
    assert working_days_between(saturday, next_saturday) == 6  # Sun–Thu and Sat; Friday is off
    assert working_days_between(saturday, saturday + datetime.timedelta(days=1)) == 1
    assert working_days_between(saturday, saturday) == 0
    assert working_days_between(next_saturday, saturday) == 0


@pytest.mark.django_db
def test_working_days_between_skips_holidays(django_assert_num_queries):
    Holiday.objects.create(date=datetime.date(2026, 11, 30), name="تعطیل نمونه")
    with django_assert_num_queries(1):
        assert working_days_between(datetime.date(2026, 11, 28), datetime.date(2026, 12, 2)) == 3
    # The Nowruz case above, counted the other way.
    assert working_days_between(jalali(1404, 12, 25), jalali(1405, 1, 15)) == 10
    # A whole Nowruz week and the weekend inside it count for nothing.
    assert working_days_between(jalali(1404, 12, 28), jalali(1405, 1, 4)) == 0


@pytest.fixture
def some_holidays(db):
    for day in ("2026-11-30", "2027-01-06", "2027-03-10", "2027-03-11"):
        Holiday.objects.create(date=datetime.date.fromisoformat(day), name="تعطیل نمونه")


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
    n=st.integers(min_value=0, max_value=60),
    weekend=st.sampled_from([[4], [3, 4], [4, 5]]),
)
def test_working_days_between_undoes_add_working_days(some_holidays, start, n, weekend):
    with override_settings(MIZ_WEEKEND_DAYS=weekend):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        if n:
            # The deadline itself is a working day, so one day earlier leaves one fewer.
            assert working_days_between(start, end - datetime.timedelta(days=1)) == n - 1


# --- The load_lunar_holidays command ---------------------------------------------------


def load(path: Path) -> str:
    out = StringIO()
    call_command("load_lunar_holidays", str(path), stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.csv"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
# Lunar holidays, a sample
date,name

1405/03/06,عید سعید قربان
1405/03/14,"عید سعید غدیر خم"
"""


@pytest.mark.django_db
def test_a_good_file_is_loaded(tmp_path):
    output = load(write(tmp_path, GOOD))
    assert "2 added, 0 updated, 0 unchanged" in output
    assert dict(Holiday.objects.values_list("date", "name")) == {
        datetime.date(2026, 5, 27): "عید سعید قربان",
        datetime.date(2026, 6, 4): "عید سعید غدیر خم",
    }


@pytest.mark.django_db
def test_the_shipped_file_for_1405_loads():
    output = load(EXAMPLE_FILE)
    assert "18 added" in output
    assert Holiday.objects.count() == 18
    assert all(
        jdatetime.date.fromgregorian(date=day).year == 1405 for day in Holiday.objects.values_list("date", flat=True)
    )
    assert Holiday.objects.get(date=jalali(1405, 3, 6)).name == "عید سعید قربان"
    # Eid al-Fitr 1448 falls before 1 Farvardin 1406, so it is in this file.
    assert Holiday.objects.filter(date__gt=jalali(1405, 12, 1)).count() == 3


@pytest.mark.django_db
def test_a_file_with_bad_rows_loads_nothing_and_names_every_bad_line(tmp_path):
    path = write(
        tmp_path,
        "# comment\n"  # 1
        "date,name\n"  # 2
        "1405/13/01,ماه سیزدهم\n"  # 3: no 13th month
        "1405/01/05,  \n"  # 4: empty name
        "1405/02/10,یک,دو\n"  # 5: three columns
        "1405/03/06,عید سعید قربان\n"  # 6: good
        "1405/03/06,تکرار\n"  # 7: the same date again
        "not-a-date,x\n",  # 8
    )
    with pytest.raises(CommandError) as raised:
        load(path)
    message = str(raised.value)
    assert "nothing loaded, 5 bad row(s)" in message
    for line, reason in [
        (3, "bad date"),
        (4, "empty name"),
        (5, "expected 2 columns"),
        (7, "duplicate date 1405/03/06 (already on line 6)"),
        (8, "bad date"),
    ]:
        assert f"line {line}: " in message and reason in message
    assert "line 6:" not in message
    assert not Holiday.objects.exists()


@pytest.mark.django_db
def test_a_file_without_the_header_or_rows_is_refused(tmp_path):
    with pytest.raises(CommandError, match="line 1: expected the header row"):
        load(write(tmp_path, "1405/03/06,عید سعید قربان\n"))
    with pytest.raises(CommandError, match="no holidays"):
        load(write(tmp_path, "# nothing yet\ndate,name\n"))
    with pytest.raises(CommandError, match="no such file"):
        load(tmp_path / "missing.csv")
    assert not Holiday.objects.exists()


@pytest.mark.django_db
def test_persian_digits_and_arabic_letters_are_accepted_and_names_normalized(tmp_path):
    path = write(
        tmp_path,
        "\ufeffdate,name\n"  # a byte-order mark, as spreadsheet programs write
        "۱۴۰۵/۰۳/۰۶,عيد سعيد قربان\n"  # Persian digits, Arabic yeh
        "١٤٠٥/١٠/١٦,  مبعث   حضرت رسول اكرم (ص)\n",  # Arabic-Indic digits, Arabic kaf, extra spaces
    )
    load(path)
    assert Holiday.objects.get(date=datetime.date(2026, 5, 27)).name == "عید سعید قربان"
    assert Holiday.objects.get(date=datetime.date(2027, 1, 6)).name == "مبعث حضرت رسول اکرم (ص)"


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_a_new_name_updates_the_row(tmp_path):
    path = write(tmp_path, GOOD)
    load(path)
    assert "0 added, 0 updated, 2 unchanged" in load(path)
    assert Holiday.objects.count() == 2
    load(write(tmp_path, GOOD.replace("عید سعید قربان", "عید قربان")))
    assert Holiday.objects.get(date=datetime.date(2026, 5, 27)).name == "عید قربان"
    assert Holiday.objects.count() == 2


@pytest.mark.django_db
def test_loaded_lunar_holidays_move_deadlines():
    load(EXAMPLE_FILE)
    # Tuesday 2 Tir 1405; 3 and 4 Tir are Tasua and Ashura (Wed, Thu), 5 Tir is Friday.
    assert add_working_days(jalali(1405, 4, 2), 1) == jalali(1405, 4, 6)
