"""Normalization of Persian text typed by citizens.

Keyboards and phones in Iran produce a mix of Arabic and Persian code points
(ي/ی, ك/ک), several digit scripts and invisible formatting characters. This
module is the one place that turns all of that into one stored form, so that
equal-looking text compares equal and nothing invisible reaches the database.
"""

import re
import unicodedata

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

ZWNJ = "\u200c"

_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, LATIN_DIGITS * 2)
_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)

# Invisible characters that only ever arrive by accident (copy-paste, bidi-aware editors).
_INVISIBLE = (
    "\u200b\u200d\u2060\ufeff"  # zero-width space, joiner, word joiner, BOM
    "\u200e\u200f\u061c"  # LRM, RLM, Arabic letter mark
    + "".join(chr(c) for c in range(0x202A, 0x202F))  # bidi embeddings and overrides
    + "".join(chr(c) for c in range(0x2066, 0x206A))  # bidi isolates
)
_CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\n\t")

_TEXT_TABLE = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
        "\u0649": "\u06cc",  # Arabic alef maksura -> Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
        "\u0640": None,  # kashida / tatweel
        **dict.fromkeys(_INVISIBLE + _CONTROLS),
    }
)

_ZWNJ_RUN = re.compile(ZWNJ + "+")
_SURROGATES = re.compile("[\ud800-\udfff]")

# Enough for any real input; the loop only repeats when a removal lets NFC compose something new.
_MAX_PASSES = 5


def to_latin_digits(s: str) -> str:
    """Persian and Arabic-Indic digits to ASCII, for parsing and storage."""
    return s.translate(_TO_LATIN)


def to_persian_digits(s: object) -> str:
    """ASCII and Arabic-Indic digits to Persian, for display; accepts numbers too."""
    return str(s).translate(_TO_PERSIAN)


def _is_letter_or_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


def _tidy_zwnj(s: str) -> str:
    """Keep one ZWNJ where it separates two letters (می‌خواهم); drop it anywhere else."""
    if ZWNJ not in s:
        return s

    def keep_or_drop(run: re.Match) -> str:
        start, end = run.span()
        between_letters = start > 0 and end < len(s) and _is_letter_or_mark(s[start - 1]) and _is_letter_or_mark(s[end])
        return ZWNJ if between_letters else ""

    return _ZWNJ_RUN.sub(keep_or_drop, s)


def _one_pass(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    s = s.translate(_TEXT_TABLE)
    s = unicodedata.normalize("NFC", s)
    s = _tidy_zwnj(s)
    return s.strip()


def normalize_text(s: str) -> str:
    """The stored form of free text: Persian letters, no invisible junk, digits untouched."""
    # Lone surrogates cannot be encoded for the database; they carry no meaning, so drop them.
    s = _SURROGATES.sub("", s)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(_MAX_PASSES):
        result = _one_pass(s)
        if result == s:
            break
        s = result
    return s


def normalize_line(s: str) -> str:
    """normalize_text for one-line fields (names, subjects): any whitespace run becomes one space."""
    return " ".join(normalize_text(s).split())


def search_key(s: str) -> str:
    """A matching form that ignores ي/ی, ك/ک, ZWNJ, digit script and case."""
    s = to_latin_digits(normalize_text(s)).replace(ZWNJ, "")
    return " ".join(s.casefold().split())
