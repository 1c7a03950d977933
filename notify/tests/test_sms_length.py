"""How many parts a text takes, and cutting it to fit: GSM-7, its extension table, UCS-2, surrogate pairs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notify.sms.length import (
    ELLIPSIS,
    GSM7_BASIC,
    GSM7_ELLIPSIS,
    GSM7_EXTENSION,
    Encoding,
    encoding_of,
    fit,
    parts,
    segments,
    units,
)

GSM7 = Encoding.GSM7
UCS2 = Encoding.UCS2
SIN = "س"  # any Persian letter: one UTF-16 unit
EMOJI = "😀"  # U+1F600, outside the BMP: a surrogate pair, two units


def test_the_gsm_tables_are_complete():
    # 128 positions minus the escape; the extension table's ten characters reachable by the escape.
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION
    assert "\x1b" not in GSM7_BASIC


def test_empty_text_takes_no_part():
    assert segments("") == (GSM7, 0)
    assert parts("") == []


@pytest.mark.parametrize(
    ("length", "expected"),
    [(1, 1), (159, 1), (160, 1), (161, 2), (305, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_boundaries(length, expected):
    assert segments("a" * length) == (GSM7, expected)


@pytest.mark.parametrize(
    ("length", "expected"),
    [(1, 1), (69, 1), (70, 1), (71, 2), (133, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_persian_is_ucs2_with_its_boundaries(length, expected):
    assert segments(SIN * length) == (UCS2, expected)


def test_a_real_persian_notice():
    text = "شهروند گرامی، پاسخ درخواست شما با کد رهگیری ۱۴۰۳۱۲۳۴۵ ثبت شد."
    assert segments(text) == (UCS2, 1)
    assert units(text) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hello سلام",  # mixed Latin and Persian
        "code ۱۲۳",  # Persian digits are not ASCII digits
        "Hi`",  # the backtick is not in GSM 03.38
        "ç",  # only the capital Ç is
        "naïve",
        "a\u200cb",  # ZWNJ
        "\x1b",  # the escape itself is not a character
        "price: 10 ₽",
        "“quoted”",
    ],
)
def test_one_character_outside_gsm_makes_it_ucs2(text):
    assert encoding_of(text) is UCS2


def test_the_whole_basic_alphabet_is_gsm7_one_septet_each():
    text = "".join(sorted(GSM7_BASIC))
    assert encoding_of(text) is GSM7
    assert units(text) == 127
    assert segments(text) == (GSM7, 1)


@pytest.mark.parametrize("ch", sorted(GSM7_EXTENSION))
def test_extension_characters_count_two(ch):
    assert encoding_of(ch) is GSM7
    assert units(ch) == 2
    assert units("ab" + ch) == 4


def test_euro_and_brackets_at_the_single_part_boundary():
    assert segments("€" * 80) == (GSM7, 1)  # 160 septets
    assert segments("€" * 81) == (GSM7, 2)  # 162
    assert segments("[" + "a" * 158) == (GSM7, 1)  # 160
    assert segments("[]" + "a" * 157) == (GSM7, 2)  # 161


def test_an_extension_pair_is_not_split_across_parts():
    # 306 septets would be two full parts, but the € at septets 153-154 cannot straddle the boundary.
    text = "a" * 152 + "€" + "a" * 152
    assert units(text) == 306
    assert segments(text) == (GSM7, 3)
    assert [len(p) for p in parts(text)] == [152, 152, 1]
    assert "".join(parts(text)) == text


def test_emoji_counts_two_units():
    assert segments(EMOJI) == (UCS2, 1)
    assert units(EMOJI) == 2
    assert segments(EMOJI * 35) == (UCS2, 1)  # 70 units
    assert segments(EMOJI * 35 + "a") == (UCS2, 2)  # 71
    assert segments("Hi " + EMOJI) == (UCS2, 1)


def test_a_surrogate_pair_is_not_split_across_parts():
    # 134 units would be two full parts, but the emoji at units 67-68 cannot straddle the boundary.
    text = SIN * 66 + EMOJI + SIN * 66
    assert units(text) == 134
    assert segments(text) == (UCS2, 3)
    assert [len(p) for p in parts(text)] == [66, 66, 1]
    for part in parts(text):
        part.encode("utf-16-le")  # no lone surrogate anywhere


def test_parts_respect_their_limits():
    text = ("سلام " + EMOJI + " € ") * 40
    for part in parts(text):
        assert units(part) <= 67 or encoding_of(text) is GSM7


def test_fit_leaves_a_fitting_text_alone():
    assert fit("a" * 160, 1) == "a" * 160
    assert fit(SIN * 134, 2) == SIN * 134
    assert fit("", 1) == ""


def test_fit_cuts_persian_with_the_ellipsis():
    text = "پاسخ درخواست شما ثبت شد. " * 10
    cut = fit(text, 1)
    assert cut.endswith(ELLIPSIS)
    assert segments(cut) == (UCS2, 1)
    assert units(cut) <= 70
    assert text.startswith(cut.removesuffix(ELLIPSIS))
    cut2 = fit(text, 2)
    assert segments(cut2) == (UCS2, 2)
    assert units(cut2) >= 120  # it uses the room it has


def test_fit_fills_exactly_to_the_boundary():
    assert fit(SIN * 71, 1) == SIN * 69 + ELLIPSIS
    assert fit(SIN * 135, 2) == SIN * 133 + ELLIPSIS


def test_fit_keeps_gsm7_text_in_gsm7():
    text = "Your request was answered. " * 10
    cut = fit(text, 1)
    assert cut.endswith(GSM7_ELLIPSIS)
    assert segments(cut) == (GSM7, 1)
    assert units(cut) >= 155


def test_fit_can_be_forced_to_the_unicode_ellipsis():
    text = "a" * 200
    cut = fit(text, 1, ellipsis=ELLIPSIS)
    assert cut == "a" * 69 + ELLIPSIS
    assert segments(cut) == (UCS2, 1)


def test_fit_never_splits_an_emoji():
    text = SIN * 68 + EMOJI + SIN * 10
    cut = fit(text, 1)
    cut.encode("utf-16-le")
    assert units(cut) <= 70
    assert cut == SIN * 68 + ELLIPSIS  # the emoji does not fit beside the ellipsis


def test_fit_drops_trailing_space_and_zwnj_before_the_ellipsis():
    text = SIN * 62 + "      \u200c" + SIN * 20  # the cut falls right after the ZWNJ (69 units + the ellipsis)
    assert fit(text, 1) == SIN * 62 + ELLIPSIS


def test_fit_with_extension_characters():
    text = "€" * 100
    cut = fit(text, 1)
    assert segments(cut) == (GSM7, 1)
    assert cut == "€" * 78 + GSM7_ELLIPSIS  # 156 + 3 septets


def test_fit_needs_at_least_one_part():
    with pytest.raises(ValueError):
        fit("a", 0)


_ALPHABET = st.sampled_from([*"abc €[]^{ ", SIN, "ی", "۱", EMOJI, "\u200c", "é", "\n"])


@given(st.text(alphabet=_ALPHABET, max_size=500))
def test_parts_rebuild_the_text_within_the_limits(text):
    encoding, count = segments(text)
    pieces = parts(text)
    assert "".join(pieces) == text
    assert count == len(pieces)
    limit = (160 if encoding is GSM7 else 70) if count == 1 else (153 if encoding is GSM7 else 67)
    for piece in pieces:
        weight = (
            sum(2 if ch in GSM7_EXTENSION else 1 for ch in piece)
            if encoding is GSM7
            else len(piece.encode("utf-16-le")) // 2
        )
        assert weight <= limit


@given(st.text(alphabet=_ALPHABET, max_size=500), st.integers(min_value=1, max_value=4))
def test_fit_always_fits_and_keeps_a_prefix(text, max_segments):
    cut = fit(text, max_segments)
    assert segments(cut)[1] <= max_segments
    if cut != text:
        kept = cut.removesuffix(ELLIPSIS) if cut.endswith(ELLIPSIS) else cut.removesuffix(GSM7_ELLIPSIS)
        assert text.startswith(kept)
