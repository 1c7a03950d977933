import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from persian.text import (
    ARABIC_DIGITS,
    PERSIAN_DIGITS,
    normalize_line,
    normalize_text,
    search_key,
    to_latin_digits,
    to_persian_digits,
)

ZWNJ = "\u200c"


def test_digit_tables_are_in_order():
    assert [unicodedata.digit(ch) for ch in PERSIAN_DIGITS] == list(range(10))
    assert [unicodedata.digit(ch) for ch in ARABIC_DIGITS] == list(range(10))


def test_persian_and_arabic_digits_become_latin():
    assert to_latin_digits("۰۹۱۴ ٠٩١٤ 0914") == "0914 0914 0914"


def test_latin_and_arabic_digits_become_persian():
    assert to_persian_digits("1405/٠٩/08") == "۱۴۰۵/۰۹/۰۸"


def test_to_persian_digits_accepts_numbers():
    assert to_persian_digits(2048) == "۲۰۴۸"
    assert to_persian_digits(3.5) == "۳.۵"


def test_arabic_yeh_and_kaf_become_persian():
    assert normalize_text("علي كتاب") == "علی کتاب"


def test_alef_maksura_becomes_persian_yeh():
    assert normalize_text("موسى") == "موسی"


def test_kashida_is_removed():
    assert normalize_text("ســـلام") == "سلام"


def test_digits_in_free_text_are_left_alone():
    assert normalize_text("پلاک ۱۲ و ٣٤ و 56") == "پلاک ۱۲ و ٣٤ و 56"


def test_invisible_characters_are_removed():
    junk = "\u200b\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    assert normalize_text(f"سل{junk}ام") == "سلام"


def test_control_characters_are_removed_but_newline_and_tab_kept():
    assert normalize_text("a\x00b\x07c\x85d\x7fe\tf\ng") == "abcde\tf\ng"


def test_carriage_returns_become_newlines():
    assert normalize_text("یک\r\nدو\rسه") == "یک\nدو\nسه"


def test_zwnj_between_letters_is_kept():
    assert normalize_text("می\u200cخواهم") == "می\u200cخواهم"


def test_repeated_zwnj_between_letters_collapses_to_one():
    assert normalize_text("می\u200c\u200c\u200cخواهم") == "می\u200cخواهم"


def test_zwnj_at_word_edges_is_removed():
    assert normalize_text("\u200cکتاب\u200c ها\u200c.") == "کتاب ها."
    assert normalize_text("کتاب\u200c \u200cها") == "کتاب ها"


def test_zwnj_next_to_a_digit_is_removed():
    assert normalize_text("۱۲\u200cتا") == "۱۲تا"


def test_text_is_composed_to_nfc():
    assert normalize_text("e\u0301") == "\u00e9"
    assert normalize_text("\u0627\u0653") == "\u0622"  # alef + madda -> آ


def test_surrounding_whitespace_is_stripped():
    assert normalize_text("  \n سلام \t\n") == "سلام"


def test_lone_surrogates_are_dropped():
    assert normalize_text("a\ud800b\udfffc") == "abc"


def test_normalize_line_collapses_whitespace_and_newlines():
    assert normalize_line("  علي \n\n  رضايي\t\u00a0 ") == "علی رضایی"


def test_search_key_ignores_letter_variants_zwnj_digits_and_case():
    assert search_key("مي\u200cخواهم كتاب ۱۲ ABC") == search_key("میخواهم  کتاب 12 abc")
    assert search_key("مي\u200cخواهم كتاب ۱۲ ABC") == "میخواهم کتاب 12 abc"


@given(st.text())
def test_normalize_text_never_raises_and_is_idempotent(s):
    once = normalize_text(s)
    assert normalize_text(once) == once


@given(st.text())
def test_normalize_text_leaves_no_arabic_letters_kashida_or_stray_invisibles(s):
    result = normalize_text(s)
    assert not set(result) & set("\u064a\u0649\u0643\u0640\u200b\u200d\u2060\ufeff\u200e\u200f\r")
    assert result == result.strip()
    assert unicodedata.is_normalized("NFC", result)


@given(st.text())
def test_every_remaining_zwnj_stands_alone_between_letters(s):
    result = normalize_text(s)
    for i, ch in enumerate(result):
        if ch == ZWNJ:
            assert 0 < i < len(result) - 1
            assert unicodedata.category(result[i - 1])[0] in "LM"
            assert unicodedata.category(result[i + 1])[0] in "LM"


@given(st.text())
def test_normalize_line_is_one_line_and_idempotent(s):
    line = normalize_line(s)
    assert "\n" not in line and "  " not in line
    assert normalize_line(line) == line


@given(st.text())
def test_search_key_never_raises_and_has_no_zwnj(s):
    assert ZWNJ not in search_key(s)


@given(st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"))
def test_digit_conversions_round_trip(s):
    assert to_latin_digits(to_persian_digits(s)) == to_latin_digits(s)
    assert to_persian_digits(to_latin_digits(s)) == to_persian_digits(s)
    assert to_latin_digits(s).isascii()
