"""How many SMS parts a text takes, and how to cut a text down to a number of parts.

GSM 03.38 (3GPP TS 23.038): when every character is in the default alphabet or its extension table, the text
is sent in 7-bit septets; an extension-table character is an escape septet plus its own, so it counts 2 and
the pair is never split across parts. Any other character switches the whole text to UCS-2, counted in UTF-16
code units: a character outside the Basic Multilingual Plane (most emoji) is a surrogate pair, counts 2 and is
never split either. Persian text is always UCS-2.

One part holds 160 septets or 70 UCS-2 units. A longer text is sent as concatenated parts whose user data
header leaves 153 septets or 67 units each; parts are filled greedily, so an indivisible 2-unit character that
does not fit at the end of a part starts the next one (which is why the count is not always a plain division).
"""

from enum import StrEnum


class Encoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


# The default alphabet, positions 0x00-0x7F, without 0x1B (the escape to the extension table, not a character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039eÆæßÉ"  # Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ Æ æ ß É
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table (each costs the escape septet plus its own): form feed ^ { } \ [ ~ ] | €
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_PART_LIMIT = {Encoding.GSM7: 160, Encoding.UCS2: 70}
MULTIPART_LIMIT = {Encoding.GSM7: 153, Encoding.UCS2: 67}

ELLIPSIS = "…"
# "…" is not in GSM 03.38: appending it to a GSM-7 text would switch the text to UCS-2 and cut its room by more
# than half, so GSM-7 texts are cut with three full stops unless the caller asks otherwise.
GSM7_ELLIPSIS = "..."

# Left dangling at the end of a cut they join or modify nothing; they are dropped before the ellipsis.
_TRAILING_JOINERS = "\u200c\u200d\u2060\ufe0e\ufe0f"


def encoding_of(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table, else UCS-2."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return Encoding.GSM7
    return Encoding.UCS2


def _weight(ch: str, encoding: Encoding) -> int:
    if encoding is Encoding.GSM7:
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def units(text: str) -> int:
    """The length in septets (GSM-7) or UTF-16 code units (UCS-2), whichever encoding the text takes."""
    encoding = encoding_of(text)
    return sum(_weight(ch, encoding) for ch in text)


def parts(text: str) -> list[str]:
    """The text cut the way it is sent: one part, or greedily filled parts that never split a 2-unit character."""
    if not text:
        return []
    encoding = encoding_of(text)
    weights = [_weight(ch, encoding) for ch in text]
    if sum(weights) <= SINGLE_PART_LIMIT[encoding]:
        return [text]
    limit = MULTIPART_LIMIT[encoding]
    result: list[str] = []
    start = used = 0
    for index, weight in enumerate(weights):
        if used + weight > limit:
            result.append(text[start:index])
            start, used = index, 0
        used += weight
    result.append(text[start:])
    return result


def segments(text: str) -> tuple[Encoding, int]:
    """(encoding, number of parts); an empty text takes no part."""
    return encoding_of(text), len(parts(text))


def _tidy_cut(prefix: str) -> str:
    """A cut prefix without trailing whitespace or a dangling ZWNJ, joiner or variation selector."""
    tidy = prefix.rstrip()
    while tidy and (tidy[-1] in _TRAILING_JOINERS or tidy[-1].isspace()):
        tidy = tidy[:-1]
    return tidy


def fit(text: str, max_segments: int, ellipsis: str | None = None) -> str:
    """The text itself when it takes at most max_segments parts, else its longest prefix that fits with an ellipsis.

    The ellipsis is "…" for UCS-2 texts (all Persian text) and "..." for GSM-7 texts, which keeps them in GSM-7;
    pass ellipsis="…" to force it anyway (the result then fits as UCS-2).
    """
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    if segments(text)[1] <= max_segments:
        return text
    if ellipsis is None:
        ellipsis = GSM7_ELLIPSIS if encoding_of(text) is Encoding.GSM7 else ELLIPSIS
    if segments(ellipsis)[1] > max_segments:
        raise ValueError("the ellipsis alone does not fit")
    # segments(text[:n] + ellipsis) never decreases as n grows, so the longest prefix is found by bisection.
    low, high = 0, len(text)  # text[:low] + ellipsis fits; text[:high] + ellipsis does not
    while high - low > 1:
        middle = (low + high) // 2
        if segments(text[:middle] + ellipsis)[1] <= max_segments:
            low = middle
        else:
            high = middle
    # Dropping trailing characters never adds a part, so the tidied cut still fits.
    return _tidy_cut(text[:low]) + ellipsis
