"""Tracking codes: random digits plus a Verhoeff check digit.

Verhoeff catches every single wrong digit and every swap of two neighbouring
digits, so a mistyped code is refused before any database lookup.
"""

import secrets

# The dihedral group D5 multiplication table, the position permutation and the inverse table.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

CODE_LENGTH = 10  # nine random digits and the check digit


def _checksum(digits: str) -> int:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c


def check_digit(payload: str) -> str:
    """The digit that, appended to `payload`, makes a valid Verhoeff number."""
    return str(_INV[_checksum(payload + "0")])


def is_valid_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and code.isascii() and code.isdigit() and _checksum(code) == 0


def new_code() -> str:
    """A fresh code from the OS's CSPRNG; the first digit is never 0 so it reads well aloud."""
    payload = str(secrets.choice("123456789")) + "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH - 2))
    return payload + check_digit(payload)


def format_code(code: str) -> str:
    """Groups of digits that are easy to read out on the phone: 12345 67890."""
    return f"{code[:5]} {code[5:]}"
