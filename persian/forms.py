"""Form fields that normalize Persian input before Django validates it."""

import datetime
import re
from typing import Any

import jdatetime
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from persian.jalali import format_numeric_date
from persian.text import normalize_line, normalize_text, to_latin_digits, to_persian_digits
from persian.validators import normalize_mobile, normalize_national_id

# Year, month and day separated by / - . or the Arabic decimal sign (٫), spaces allowed around
# them; or eight digits in a row, which is all a phone's numeric keypad (inputmode=numeric) may offer.
_JALALI_DATE_RE = re.compile(
    r"([0-9]{4})(?:\s*[/\-.\u066b]\s*|\s+)([0-9]{1,2})(?:\s*[/\-.\u066b]\s*|\s+)([0-9]{1,2})"
    r"|([0-9]{4})([0-9]{2})([0-9]{2})",
    re.ASCII,
)
# Longer input is refused before any regex work.
_MAX_DATE_LENGTH = 32


class _ExtraAttrsMixin:
    """Adds widget attributes without overriding ones the form author set explicitly."""

    extra_widget_attrs: dict[str, str] = {}

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)  # type: ignore[misc]
        for key, val in self.extra_widget_attrs.items():
            if key not in widget.attrs:
                attrs.setdefault(key, val)
        return attrs


class PersianCharField(forms.CharField):
    """A CharField whose value is normalized first, so max_length and required see the stored text."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = normalize_text(value) if self.multiline else normalize_line(value)
        return value if value else self.empty_value


class MobileField(_ExtraAttrsMixin, forms.CharField):
    """An Iranian mobile number, cleaned to E.164 (+989xxxxxxxxx)."""

    extra_widget_attrs = {"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_mobile(value)


class NationalIdField(_ExtraAttrsMixin, forms.CharField):
    """An Iranian national ID (کد ملی), cleaned to ten ASCII digits with a valid check digit."""

    extra_widget_attrs = {"inputmode": "numeric", "dir": "ltr"}

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_national_id(value)


class JalaliDateInput(forms.TextInput):
    """A text box for a Jalali date; jalali-datepicker.js adds a calendar button to it.

    A date is shown as ۱۴۰۵/۰۹/۰۸; anything else (what the user typed) is shown as it is.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults: dict[str, Any] = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": to_persian_digits("1405/09/08"),
            "data-jalali-picker": "",
            # Names read out by screen readers; the script has Persian defaults for pages without this widget.
            "data-picker-label": _("Choose a date"),
            "data-picker-prev": _("Previous month"),
            "data-picker-next": _("Next month"),
            "data-picker-today": _("Today"),
            "data-picker-close": _("Close"),
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date | jdatetime.date):
            return format_numeric_date(value)
        return super().format_value(value)


class JalaliDateField(forms.Field):
    """A date typed on the Persian calendar (any digit script), cleaned to a Gregorian datetime.date."""

    widget = JalaliDateInput
    min_year = 1300
    max_year = 1500
    default_error_messages = {
        "invalid": _("Enter a date of the Persian calendar such as 1405/09/08."),
        "invalid_date": _("This day does not exist in the Persian calendar. Check the month and the day."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, jdatetime.date):
            value = value.togregorian()
        if isinstance(value, datetime.datetime):
            return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        if isinstance(value, datetime.date):
            return value
        text = str(value)
        if len(text) > _MAX_DATE_LENGTH:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        text = to_latin_digits(normalize_text(text))
        if not text:
            return None
        match = _JALALI_DATE_RE.fullmatch(text)
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) for part in match.groups() if part is not None)
        if not self.min_year <= year <= self.max_year:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return jdatetime.date(year, month, day).togregorian()
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date") from error
