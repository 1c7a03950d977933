"""Forms of the staff desk."""

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from cases.forms import AttachmentsField
from cases.models import Case, Kind, Status
from desk.services import SORTS, TABS, InboxQuery
from directory.models import Topic, Unit
from persian.forms import JalaliDateField, PersianCharField


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
