"""Cleaning and validation of the Iranian identifiers citizens type into forms.

Each function accepts what people really type (any digit script, spaces,
dashes, pasted invisible marks) and returns one canonical ASCII form, or
raises ValidationError with a message for the citizen and a stable code.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from persian.text import ZWNJ, normalize_text, to_latin_digits, to_persian_digits

# Long enough for any honest input with separators; longer input is refused before any regex work.
_MAX_INPUT_LENGTH = 64

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_MOBILE_RE = re.compile(r"(?:\+98|0098|98|0)?(9[0-9]{9})", re.ASCII)


def _strip_separators(value: str, separators: str) -> str:
    """Normalized text with whitespace, ZWNJ and the given separator characters removed."""
    text = normalize_text(value)
    return "".join(ch for ch in text if not ch.isspace() and ch != ZWNJ and ch not in separators)


def normalize_mobile(value: str) -> str:
    """An Iranian mobile number in E.164 (+989xxxxxxxxx), so one person has one stored form."""
    error = ValidationError(_("Enter a valid mobile number, such as 0914 123 4567."), code="invalid_mobile")
    value = str(value)
    if len(value) > _MAX_INPUT_LENGTH:
        raise error
    cleaned = to_latin_digits(_strip_separators(value, _DASHES + ".()"))
    match = _MOBILE_RE.fullmatch(cleaned)
    if match is None:
        raise error
    return "+98" + match.group(1)


def format_mobile(canonical: str) -> str:
    """The national form in Persian digits, grouped the way Iranians read numbers: ۰۹۱۴ ۱۲۳ ۴۵۶۷."""
    if not canonical:
        return ""
    try:
        national = "0" + normalize_mobile(canonical)[3:]
    except ValidationError:
        # Display must never fail; show whatever was stored.
        return to_persian_digits(canonical)
    return to_persian_digits(f"{national[:4]} {national[4:7]} {national[7:]}")


def national_id_is_valid(digits: str) -> bool:
    """The کد ملی check digit rule on exactly ten ASCII digits; all-equal digits are never issued."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit() or len(set(digits)) == 1:
        return False
    d = [int(ch) for ch in digits]
    s = sum(d[i] * (10 - i) for i in range(9)) % 11
    return d[9] == (s if s < 2 else 11 - s)


def normalize_national_id(value: str) -> str:
    """Ten ASCII digits of a valid national ID; older cards drop leading zeros, so 8–9 digits are padded."""
    error = ValidationError(_("Enter a valid 10-digit national ID."), code="invalid_national_id")
    value = str(value)
    if len(value) > _MAX_INPUT_LENGTH:
        raise error
    cleaned = to_latin_digits(_strip_separators(value, _DASHES))
    if not (8 <= len(cleaned) <= 10 and cleaned.isascii() and cleaned.isdigit()):
        raise error
    digits = cleaned.zfill(10)
    if not national_id_is_valid(digits):
        raise error
    return digits


def normalize_tracking_digits(value: str) -> str:
    """ASCII digits of a typed tracking code or PIN; the check digit is verified by the caller."""
    error = ValidationError(_("Enter the code using digits only."), code="invalid_tracking_code")
    value = str(value)
    if len(value) > _MAX_INPUT_LENGTH:
        raise error
    cleaned = to_latin_digits(_strip_separators(value, _DASHES + "./"))
    if not cleaned or not (cleaned.isascii() and cleaned.isdigit()):
        raise error
    return cleaned
