"""Forms of “My cases by mobile”: they validate and normalize; cases.mobile_access acts."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.mobile_access import CODE_LENGTH
from persian.forms import MobileField
from persian.text import to_latin_digits

_CODE_RE = re.compile(rf"[0-9]{{{CODE_LENGTH}}}", re.ASCII)


class MobileForm(forms.Form):
    mobile = MobileField(
        label=_("Mobile number"),
        help_text=_("The number you sent your cases with. We will send a one-time code to it by SMS."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        # Room for a code pasted with spaces around or between its digits.
        max_length=20,
        help_text=_("The 6-digit code in the SMS we sent you."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr"}),
    )

    def clean_code(self):
        """Persian and Arabic-Indic digits as well as ASCII, spaces ignored: the code as a phone's keyboard types it."""
        code = "".join(to_latin_digits(self.cleaned_data["code"]).split())
        if not _CODE_RE.fullmatch(code):
            raise ValidationError(_("Enter the 6 digits of the code."), code="invalid_code")
        return code
