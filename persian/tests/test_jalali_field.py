import datetime

import jdatetime
import pytest
from django import forms
from django.utils import translation
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from persian.forms import JalaliDateField, JalaliDateInput

AZAR_8_1405 = datetime.date(2026, 11, 29)


class DateForm(forms.Form):
    when = JalaliDateField(required=False)


class RequiredDateForm(forms.Form):
    when = JalaliDateField()


def clean(value: str, form_class: type[forms.Form] = DateForm) -> forms.Form:
    form = form_class(data={"when": value})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    "typed",
    [
        "1405/09/08",
        "1405/9/8",
        "1405-09-08",
        "1405.9.8",
        "۱۴۰۵/۰۹/۰۸",
        "۱۴۰۵/۹/۸",
        "۱۴۰۵-۰۹-۰۸",
        "١٤٠٥/٠٩/٠٨",
        "١٤٠٥-٩-٨",
        "۱۴۰۵/09/٠٨",
        "  ۱۴۰۵/۰۹/۰۸ \t",
        "1405 / 09 / 08",
        "1405 9 8",
        "۱۴۰۵٫۰۹٫۰۸",
        "14050908",
        "\u200f۱۴۰۵/۰۹/۰۸\u200e",
    ],
)
def test_a_typed_date_in_any_digit_script_is_cleaned_to_a_gregorian_date(typed):
    form = clean(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == AZAR_8_1405


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1405/01/01", datetime.date(2026, 3, 21)),
        ("1403/12/30", datetime.date(2025, 3, 20)),  # 1403 is a leap year
        ("1404/12/29", datetime.date(2026, 3, 20)),
        ("1300/01/01", datetime.date(1921, 3, 21)),
        ("1500/12/29", datetime.date(2122, 3, 20)),
    ],
)
def test_known_dates_and_the_ends_of_the_range(typed, expected):
    assert clean(typed).cleaned_data["when"] == expected


@pytest.mark.parametrize(
    "typed",
    ["1405/13/01", "1405/00/10", "1405/01/00", "1405/07/31", "1404/12/30", "1405/12/30", "۱۴۰۴/۱۲/۳۰"],
)
def test_a_day_that_does_not_exist_is_refused(typed):
    form = clean(typed)
    assert form.has_error("when", code="invalid_date")


@pytest.mark.parametrize(
    "typed",
    [
        "1299/12/29",
        "1501/01/01",
        "2026/11/29",  # a Gregorian date typed by mistake
        "05/09/08",
        "1405/09",
        "1405/009/08",
        "1405//09/08",
        "1405/09/08/",
        "۸ آذر ۱۴۰۵",
        "tomorrow",
        "1405/09/08 12:00",
        "1405۰۹۰۸1",
        "1" * 10_000,
    ],
)
def test_a_bad_format_or_year_is_refused_with_a_clear_message(typed):
    form = clean(typed)
    assert form.has_error("when", code="invalid")
    assert form.errors["when"] == [str(JalaliDateField.default_error_messages["invalid"])]


@pytest.mark.parametrize("typed", ["", "   ", "\u200f"])
def test_empty_is_none_when_not_required(typed):
    form = clean(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] is None


def test_empty_is_refused_when_required():
    assert clean("", RequiredDateForm).has_error("when", code="required")


def test_python_dates_pass_through():
    field = JalaliDateField()
    assert field.clean(AZAR_8_1405) == AZAR_8_1405
    assert field.clean(jdatetime.date(1405, 9, 8)) == AZAR_8_1405
    moment = datetime.datetime(2026, 11, 28, 21, 0, tzinfo=datetime.UTC)  # 00:30 on 8 Azar in Tehran
    assert field.clean(moment) == AZAR_8_1405


def test_an_initial_date_is_shown_in_jalali_with_persian_digits():
    html = str(DateForm(initial={"when": AZAR_8_1405})["when"])
    assert 'value="۱۴۰۵/۰۹/۰۸"' in html


def test_a_bound_valid_date_is_shown_as_typed():
    form = clean("1405/9/8")
    assert 'value="1405/9/8"' in str(form["when"])


@pytest.mark.parametrize("typed", ["1405/13/01", "۱۴۰۴/۱۲/۳۰", "دیروز <b>", "2026-11-29"])
def test_bad_input_is_shown_again_exactly_as_typed(typed):
    form = clean(typed)
    assert not form.is_valid()
    assert f'value="{escape(typed)}"' in str(form["when"])


def test_an_unchanged_date_is_not_reported_as_changed():
    form = DateForm(data={"when": "۱۴۰۵/۰۹/۰۸"}, initial={"when": AZAR_8_1405})
    assert not form.has_changed()
    assert DateForm(data={"when": "۱۴۰۵/۰۹/۰۹"}, initial={"when": AZAR_8_1405}).has_changed()
    assert DateForm(data={"when": "بد"}, initial={"when": AZAR_8_1405}).has_changed()


def test_widget_attributes_for_the_picker_and_phones():
    attrs = DateForm().fields["when"].widget.attrs
    assert attrs["inputmode"] == "numeric"
    assert attrs["autocomplete"] == "off"
    assert attrs["placeholder"] == "۱۴۰۵/۰۹/۰۸"
    assert "data-jalali-picker" in attrs
    assert "dir" not in attrs
    html = str(DateForm()["when"])
    assert "data-jalali-picker" in html and 'data-picker-label="' in html and " dir=" not in html


def test_explicit_widget_attrs_win():
    widget = JalaliDateInput(attrs={"placeholder": "روز/ماه/سال", "data-picker-label": "تاریخ تولد"})
    assert widget.attrs["placeholder"] == "روز/ماه/سال"
    assert widget.attrs["data-picker-label"] == "تاریخ تولد"
    assert widget.attrs["inputmode"] == "numeric"


def test_widget_labels_follow_the_active_language():
    with translation.override("en"):
        html = str(DateForm()["when"])
    assert 'data-picker-label="Choose a date"' in html


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2090, 12, 31)))
def test_rendering_then_parsing_gives_the_same_date(day):
    field = JalaliDateField()
    shown = field.widget.format_value(field.prepare_value(day))
    assert set(shown) <= set("۰۱۲۳۴۵۶۷۸۹/")
    assert field.clean(shown) == day
