import pytest
from django import forms

from persian.forms import MobileField, NationalIdField, PersianCharField


class SampleForm(forms.Form):
    name = PersianCharField(max_length=5, required=False)
    body = PersianCharField(multiline=True, max_length=20)
    mobile = MobileField(required=False)
    national_id = NationalIdField(required=False)


def clean(**data: str) -> SampleForm:
    form = SampleForm(data={"body": "متن", **data})
    form.is_valid()
    return form


def test_one_line_field_is_normalized():
    assert clean(name="  علي \n ك ").cleaned_data["name"] == "علی ک"


def test_max_length_is_checked_on_the_normalized_value():
    form = clean(name="ع\u0640\u0640\u0640\u200bلي\u200c\u200c")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "علی"


def test_multiline_field_keeps_newlines():
    assert clean(body="سطر يك\r\nسطر دو").cleaned_data["body"] == "سطر یک\nسطر دو"


def test_text_that_normalizes_to_nothing_is_missing():
    form = clean(body="\u200c\u200b\u0640")
    assert form.errors["body"][0] == forms.Field.default_error_messages["required"]


def test_mobile_field_cleans_to_e164():
    assert clean(mobile="۰۹۱۴ ۱۲۳ ۴۵۶۷").cleaned_data["mobile"] == "+989141234567"


def test_mobile_field_rejects_a_landline():
    form = clean(mobile="021 1234 5678")
    assert form.has_error("mobile", code="invalid_mobile")


def test_national_id_field_cleans_to_ten_digits():
    assert clean(national_id="۴۹۹-۳۷۰۸۹۹").cleaned_data["national_id"] == "0499370899"
    assert clean(national_id="0499370898").has_error("national_id", code="invalid_national_id")


def test_empty_optional_fields_are_empty_strings():
    data = clean().cleaned_data
    assert data["mobile"] == "" and data["national_id"] == "" and data["name"] == ""


@pytest.mark.parametrize(
    ("field", "attrs"),
    [
        ("mobile", {"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
        ("national_id", {"inputmode": "numeric", "dir": "ltr"}),
    ],
)
def test_identifier_widgets_get_input_hints(field, attrs):
    assert attrs.items() <= SampleForm().fields[field].widget.attrs.items()


def test_explicit_widget_attrs_win():
    field = MobileField(widget=forms.TextInput(attrs={"autocomplete": "off"}))
    assert field.widget.attrs["autocomplete"] == "off" and field.widget.attrs["dir"] == "ltr"
