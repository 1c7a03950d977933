"""Forms of the staff desk."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import AttachmentsField
from cases.models import Kind, Status
from directory.models import Unit
from persian.forms import PersianCharField


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *Kind.choices])


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


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Send to unit"),
        queryset=Unit.objects.active().exclude(code=Unit.TRIAGE_CODE),
        empty_label=_("— choose a unit —"),
    )
    reason = PersianCharField(label=_("Reason (internal, optional)"), max_length=500, required=False)


class CloseForm(forms.Form):
    reason = PersianCharField(label=_("Closing note to the citizen (optional)"), max_length=1000, required=False)
