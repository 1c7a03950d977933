"""Forms of the staff desk."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPAuthenticationForm, OTPTokenForm

from cases.forms import AttachmentsField
from cases.models import Case, Kind, Status
from desk.services import SORTS, TABS, InboxQuery
from directory.models import Topic, Unit
from persian.forms import JalaliDateField, PersianCharField
from persian.text import to_latin_digits


class InboxFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=[(tab, tab) for tab in TABS], required=False, widget=forms.HiddenInput)
    text = PersianCharField(label=_("Search subject and text"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.select_related("unit"), empty_label=_("all")
    )
    received_from = JalaliDateField(label=_("Received from"), required=False)
    received_to = JalaliDateField(label=_("Received until"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("arrival", _("newest first")), ("due", _("nearest deadline first"))],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("This date is before the start date."))
        return data

    def query(self) -> InboxQuery:
        """The filters as the service takes them; a field with an error is left out, the others still apply."""
        data = self.cleaned_data if self.is_bound else {}
        topic = data.get("topic")
        return InboxQuery(
            tab=data.get("tab") or "unit",
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            topic_id=topic.pk if topic else None,
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            text=data.get("text", ""),
            sort=data.get("sort") if data.get("sort") in SORTS else "arrival",
        )


class NoteForm(forms.Form):
    text = PersianCharField(
        label=_("Internal note (the citizen does not see it)"),
        multiline=True,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    text = PersianCharField(
        label=_("Answer to the citizen"),
        multiline=True,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = AttachmentsField(label=_("Attachments"))


def _units_to_send_to():
    return Unit.objects.active().exclude(code=Unit.TRIAGE_CODE)


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Send to unit"), queryset=_units_to_send_to(), empty_label=_("— choose a unit —")
    )
    reason = PersianCharField(label=_("Reason (internal, optional)"), max_length=500, required=False)


class ReferForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Refer to unit"), queryset=_units_to_send_to(), empty_label=_("— choose a unit —")
    )
    reason = PersianCharField(label=_("Why it belongs there (internal)"), max_length=500)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["assignee"].queryset = people
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class InformationRequestForm(forms.Form):
    question = PersianCharField(
        label=_("What the citizen should send (they see this)"),
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnAnswerForm(forms.Form):
    reason = PersianCharField(
        label=_("What to change (internal)"), multiline=True, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    target = forms.CharField(
        label=_("Tracking code of the case to merge into"),
        max_length=30,
        help_text=_("The citizen of this case will read the answers given there."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_target(self):
        from cases.services import InvalidCode, parse_tracking_code

        try:
            code = parse_tracking_code(self.cleaned_data["target"])
        except InvalidCode:
            raise forms.ValidationError(_("This is not a valid tracking code.")) from None
        target = Case.objects.actionable_by(self.user).filter(tracking_code=code).first()
        if target is None:
            raise forms.ValidationError(_("You have no case with this tracking code."))
        return target


class CloseForm(forms.Form):
    reason = PersianCharField(label=_("Closing note to the citizen (optional)"), max_length=1000, required=False)


# --- Sign-in with a second factor ------------------------------------------------------------------------

_OTP_MESSAGES = {
    "token_required": _("Enter the six-digit code from your authenticator app."),
    "invalid_token": _("This code is not right. Enter the code your app shows now."),
}


def _otp_token_field():
    return forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=12,
        help_text=_("Only if you have set up a second factor."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr"}),
    )


def _latin_token(form):
    return to_latin_digits(form.data.get("otp_token", "")).replace(" ", "")


class _TheOneDevice:
    """Each person has one authenticator (desk.second_factor): no device picker on the sign-in form.

    django-otp asks the form which device the code is for (`_chosen_device`); ours answers with the person's
    confirmed device, locked like django-otp's own lookup, so two sign-ins cannot use one code.
    """

    def _chosen_device(self, user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()


class StaffLoginForm(_TheOneDevice, OTPAuthenticationForm):
    """User name, password and, for those who set one up, the code of their authenticator app."""

    otp_error_messages = {**OTPAuthenticationForm.otp_error_messages, **_OTP_MESSAGES}
    otp_token = _otp_token_field()

    def clean_otp_token(self):
        return _latin_token(self)

    def clean(self):
        """The code is asked only of a person who set up a second factor (the others are sent to set one up
        where MIZ_STAFF_REQUIRE_TOTP says so)."""
        from desk.second_factor import has_second_factor

        self.cleaned_data = AuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and has_second_factor(user):
            self.clean_otp(user)
        return self.cleaned_data


class StaffTokenForm(_TheOneDevice, OTPTokenForm):
    """For a session that signed in before its person set up a second factor: only the code."""

    otp_error_messages = {**OTPTokenForm.otp_error_messages, **_OTP_MESSAGES}
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)  # the one device: see _TheOneDevice
    otp_token = _otp_token_field()

    def clean_otp_token(self):
        return _latin_token(self)


class ConfirmDeviceForm(forms.Form):
    code = forms.CharField(
        label=_("The code your app shows now"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr"}),
    )

    def clean_code(self):
        code = to_latin_digits(self.cleaned_data["code"]).replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits your app shows."), code="invalid")
        return code
