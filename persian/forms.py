"""Form fields that normalize Persian input before Django validates it."""

from typing import Any

from django import forms

from persian.text import normalize_line, normalize_text
from persian.validators import normalize_mobile, normalize_national_id


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
