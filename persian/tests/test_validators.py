import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from persian.text import ARABIC_DIGITS, PERSIAN_DIGITS
from persian.validators import (
    format_mobile,
    national_id_is_valid,
    normalize_mobile,
    normalize_national_id,
    normalize_tracking_digits,
)

SCRIPTS = {"latin": "0123456789", "persian": PERSIAN_DIGITS, "arabic": ARABIC_DIGITS}


def check_digit(first_nine: str) -> str:
    """The کد ملی check digit, computed independently of the implementation."""
    s = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return str(s if s < 2 else 11 - s)


def render(digits: str, scripts: list[str]) -> str:
    """ASCII digits written one by one in the given scripts (cycled)."""
    return "".join(SCRIPTS[scripts[i % len(scripts)]][int(d)] for i, d in enumerate(digits))


digit_scripts = st.lists(st.sampled_from(sorted(SCRIPTS)), min_size=1, max_size=12)


# --- mobile ---------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "09141234567",
        "9141234567",
        "+989141234567",
        "+98 914 123 4567",
        "00989141234567",
        "989141234567",
        "۰۹۱۴۱۲۳۴۵۶۷",
        "٠٩١٤١٢٣٤٥٦٧",
        "0914-123-4567",
        "(0914) 123.4567",
        "\u200e+98 914 123 4567\u200f",
        " ۰۹۱۴ ۱۲۳ ۴۵۶۷ ",
    ],
)
def test_accepted_mobile_forms_become_e164(raw):
    assert normalize_mobile(raw) == "+989141234567"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "02112345678",  # Tehran landline
        "04433445566",  # Urmia landline
        "0914123456",  # too short
        "091412345678",  # too long
        "+9809141234567",
        "+1 914 123 4567",
        "0914abc4567",
        "0914 123 456۷x",
        "+",
        "++989141234567",
        "98+9141234567",
        "²914123456",
    ],
)
def test_other_numbers_are_not_mobiles(raw):
    with pytest.raises(ValidationError) as info:
        normalize_mobile(raw)
    assert info.value.code == "invalid_mobile"


def test_mobile_is_formatted_nationally_in_persian_digits():
    assert format_mobile("+989141234567") == "۰۹۱۴ ۱۲۳ ۴۵۶۷"


def test_format_mobile_of_empty_or_odd_values_does_not_fail():
    assert format_mobile("") == ""
    assert format_mobile("12345") == "۱۲۳۴۵"


PREFIXES = [("", "0"), ("", ""), ("+", "98"), ("", "0098"), ("", "98")]


@given(
    number=st.text(alphabet="0123456789", min_size=9, max_size=9),
    prefix=st.sampled_from(PREFIXES),
    scripts=digit_scripts,
    separator=st.sampled_from(["", " ", "-", ".", " - "]),
)
def test_every_digit_script_and_prefix_gives_the_same_mobile(number, prefix, scripts, separator):
    national = "9" + number
    plus, prefix_digits = prefix
    groups = [national[:3], national[3:6], national[6:]]
    written = plus + render(prefix_digits, scripts) + (separator if prefix_digits else "")
    written += separator.join(render(g, scripts[::-1]) for g in groups)
    assert normalize_mobile(written) == "+98" + national


@given(st.text())
def test_normalize_mobile_raises_only_validation_error(s):
    try:
        result = normalize_mobile(s)
    except ValidationError:
        return
    assert result.startswith("+989") and len(result) == 13 and result[1:].isascii() and result[1:].isdigit()


# --- national ID ------------------------------------------------------------


@pytest.mark.parametrize("nine", ["049937089", "001354241", "123456789", "000000012", "987654320"])
def test_ids_with_the_computed_check_digit_are_accepted(nine):
    assert normalize_national_id(nine + check_digit(nine)) == nine + check_digit(nine)


def test_quoted_example_ids_are_valid():
    assert check_digit("049937089") == "9"
    assert check_digit("001354241") == "9"
    assert normalize_national_id("0499370899") == "0499370899"
    assert normalize_national_id("0013542419") == "0013542419"


def test_national_id_in_persian_digits_with_separators_is_accepted():
    assert normalize_national_id("۰۴۹-۹۳۷۰۸۹-۹") == "0499370899"
    assert normalize_national_id("٠٤٩ ٩٣٧ ٠٨٩٩") == "0499370899"


def test_short_national_ids_are_padded_with_leading_zeros():
    assert normalize_national_id("13542419") == "0013542419"
    assert normalize_national_id("499370899") == "0499370899"


@pytest.mark.parametrize(
    "raw",
    ["", "0499370898", "1111111111", "0000000000", "1234567", "12345678901", "04993708a9", "0499370899x"],
)
def test_invalid_national_ids_are_rejected(raw):
    with pytest.raises(ValidationError) as info:
        normalize_national_id(raw)
    assert info.value.code == "invalid_national_id"


@given(nine=st.text(alphabet="0123456789", min_size=9, max_size=9), scripts=digit_scripts)
def test_valid_national_ids_are_accepted_in_every_digit_script(nine, scripts):
    digits = nine + check_digit(nine)
    assume(len(set(digits)) > 1)
    assert normalize_national_id(render(digits, scripts)) == digits


@given(
    nine=st.text(alphabet="0123456789", min_size=9, max_size=9),
    position=st.integers(0, 9),
    delta=st.integers(1, 9),
)
def test_changing_one_digit_of_a_valid_id_is_rejected(nine, position, delta):
    digits = nine + check_digit(nine)
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    still_valid = changed[9] == check_digit(changed[:9]) and len(set(changed)) > 1
    assert national_id_is_valid(changed) is still_valid
    if still_valid:
        assert normalize_national_id(changed) == changed
    else:
        with pytest.raises(ValidationError):
            normalize_national_id(changed)


@given(st.text())
def test_normalize_national_id_raises_only_validation_error(s):
    try:
        result = normalize_national_id(s)
    except ValidationError:
        return
    assert len(result) == 10 and national_id_is_valid(result)


# --- tracking digits ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["1234567890", "۱۲۳۴-۵۶۷۸-۹۰", "١٢٣ ٤٥٦ ٧٨٩ ٠", "123/456.78\u200c90", "\t1234 567890\n", "12\u2013345\u00a067890"],
)
def test_tracking_digits_are_cleaned_to_ascii(raw):
    assert normalize_tracking_digits(raw) == "1234567890"


@pytest.mark.parametrize("raw", ["", "   ", "-", "12a34", "۱۲۳#", "²³"])
def test_tracking_code_with_non_digits_is_rejected(raw):
    with pytest.raises(ValidationError) as info:
        normalize_tracking_digits(raw)
    assert info.value.code == "invalid_tracking_code"


@given(st.text())
def test_normalize_tracking_digits_raises_only_validation_error(s):
    try:
        result = normalize_tracking_digits(s)
    except ValidationError:
        return
    assert result and result.isascii() and result.isdigit()
