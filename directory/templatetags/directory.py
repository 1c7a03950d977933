from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def obfuscate_email(address: str) -> str:
    """Every character as a numeric HTML entity: shown and read aloud as written, missed by naive harvesters."""
    return mark_safe("".join(f"&#{ord(character)};" for character in str(address)))  # noqa: S308 (entities only)


@register.filter
def tel_uri(number: str) -> str:
    from directory.vcard import tel_uri as to_uri

    return to_uri(number)
