import itertools

from hypothesis import given
from hypothesis import strategies as st

from cases.tracking import CODE_LENGTH, check_digit, format_code, is_valid_code, new_code


def test_new_codes_are_digits_of_fixed_length_and_valid():
    for _ in range(200):
        code = new_code()
        assert len(code) == CODE_LENGTH
        assert code.isdigit()
        assert code[0] != "0"
        assert is_valid_code(code)


def test_known_verhoeff_check_digit():
    # The worked example of the Verhoeff scheme: 236 gets the check digit 3.
    assert check_digit("236") == "3"


payloads = st.text(alphabet="0123456789", min_size=CODE_LENGTH - 1, max_size=CODE_LENGTH - 1)


@given(payloads, st.integers(min_value=0, max_value=CODE_LENGTH - 1), st.integers(min_value=1, max_value=9))
def test_any_single_wrong_digit_is_caught(payload, position, delta):
    code = payload + check_digit(payload)
    wrong = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    assert not is_valid_code(wrong)


@given(payloads, st.integers(min_value=0, max_value=CODE_LENGTH - 2))
def test_any_swap_of_two_neighbours_is_caught(payload, position):
    code = payload + check_digit(payload)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped != code:
        assert not is_valid_code(swapped)


def test_exhaustive_single_digit_errors_on_one_code():
    code = new_code()
    for position, digit in itertools.product(range(CODE_LENGTH), "0123456789"):
        changed = code[:position] + digit + code[position + 1 :]
        assert is_valid_code(changed) == (changed == code)


def test_non_digits_and_wrong_lengths_are_invalid():
    code = new_code()
    assert not is_valid_code(code[:-1])
    assert not is_valid_code(code + "0")
    assert not is_valid_code("۱" * CODE_LENGTH)
    assert not is_valid_code("")


def test_format_groups_the_code_for_reading_aloud():
    assert format_code("1234567890") == "12345 67890"
