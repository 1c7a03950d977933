"""vCard 4.0 (RFC 6350) for a position: UTF-8, so Persian names arrive whole in a phone's contacts."""

from django.conf import settings

from directory.models import Position
from persian.text import to_latin_digits


def escape(value: str) -> str:
    """Text values: backslash, comma, semicolon and newlines escaped (RFC 6350, 3.4)."""
    return (
        value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded; never inside a UTF-8 character (RFC 6350, 3.2)."""
    parts, current, size = [], "", 0
    for character in line:
        width = len(character.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines start with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += character
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def tel_uri(number: str) -> str:
    """An Iranian number as a tel: URI in international form: 044-3123 4567 → tel:+984431234567."""
    digits = "".join(ch for ch in to_latin_digits(number) if ch.isdigit())
    if number.strip().startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("00"):
        return f"tel:+{digits[2:]}"
    if digits.startswith("0"):
        return f"tel:+98{digits[1:]}"
    return f"tel:{digits}"


def position_vcard(position: Position) -> str:
    name = position.holder_name if not position.is_vacant else position.title
    organization = settings.MIZ_ORGANIZATION_NAME
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{escape(name)}",
        f"N:{escape(name)};;;;",
        f"TITLE:{escape(position.title)}",
        f"ORG:{escape(organization)}" + (f";{escape(position.unit.name)}" if position.unit_id else ""),
    ]
    if position.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=uri:{tel_uri(position.phone)}")
    if position.email:
        lines.append(f"EMAIL;TYPE=work:{position.email}")
    if position.room or position.office_hours:
        lines.append(f"NOTE:{escape(' — '.join(part for part in (position.room, position.office_hours) if part))}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
