"""Forms of the citizen's side: they validate and normalize; the services in cases.services act."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import Kind, NotifyBy, SubmitterType
from cases.services import InvalidCode, parse_tracking_code
from cases.uploads import check_uploads
from directory.models import Topic, Unit
from persian.forms import MobileField, NationalIdField, PersianCharField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MIZ_MAX_ATTACHMENTS files, each checked by content; cleans to a list of CheckedFile."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,application/pdf,image/*"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        for upload in uploads:
            super().clean(upload, initial)
        return check_uploads(uploads)


def topic_choices():
    """Public topics grouped under their unit's name, for an <optgroup> per unit."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for topic in Topic.objects.public().order_by("unit__order", "order", "label"):
        groups.setdefault(topic.unit.name, []).append((topic.pk, topic.label))
    return [("", _("I don't know / let the desk decide")), *groups.items()]


class SubmissionForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    unit = forms.SlugField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("What are you sending?"), choices=Kind.choices, widget=forms.RadioSelect)
    topic = forms.TypedChoiceField(
        label=_("Topic"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional. Picking a topic sends your case straight to the unit that handles it."),
    )
    subject = PersianCharField(label=_("Subject"), max_length=200)
    body = PersianCharField(
        label=_("Your message"),
        multiline=True,
        max_length=settings.MIZ_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "data-maxlength": settings.MIZ_BODY_MAX_LENGTH}),
    )
    attachments = AttachmentsField(
        label=_("Attachments"),
        help_text=_("Up to 3 files: PDF, JPG, PNG or Word (docx), 5 MB each."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_("We will not ask who you are. You will get a PIN to read the answer: keep it safe."),
        widget=forms.CheckboxInput(attrs={"data-toggles": "submitter-fields"}),
    )
    name = PersianCharField(label=_("Full name"), max_length=150, required=False)
    mobile = MobileField(label=_("Mobile number"), required=False, help_text=_("You will need it to read the answer."))
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"})
    )
    national_id = NationalIdField(label=_("National ID"), required=False)
    submitter_type = forms.ChoiceField(
        label=_("You are writing as"),
        required=False,
        choices=[("", _("(not stated)")), *SubmitterType.choices],
    )

    notify_by = forms.ChoiceField(
        label=_("How should we tell you about your case?"),
        choices=NotifyBy.choices,
        initial=NotifyBy.SMS,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Every e-mail has a link to stop them."),
    )

    SUBMITTER_FIELDS = ("name", "mobile", "email", "national_id", "submitter_type")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_choices()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        for name in self.required_submitter_fields():
            self.fields[name].widget.attrs["aria-required"] = "true"
            self.fields[name].required_unless_anonymous = True

    @staticmethod
    def required_submitter_fields():
        return [name for name in SubmissionForm.SUBMITTER_FIELDS if name in settings.MIZ_REQUIRED_SUBMITTER_FIELDS]

    @classmethod
    def initial_for(cls, kind: str | None = None, unit: str | None = None):
        return {"form_token": uuid.uuid4(), "kind": kind if kind in Kind.values else None, "unit": unit or ""}

    def clean_topic(self):
        topic_id = self.cleaned_data.get("topic")
        if topic_id is None:
            return None
        topic = Topic.objects.public().filter(pk=topic_id).first()
        if topic is None:
            raise ValidationError(_("Pick a topic from the list."), code="invalid_topic")
        return topic

    def clean_unit(self):
        code = self.cleaned_data.get("unit")
        if not code:
            return None
        unit = Unit.objects.active().filter(code=code).exclude(code=Unit.TRIAGE_CODE).first()
        if unit is None:
            raise ValidationError(_("This unit does not take cases."), code="invalid_unit")
        return unit

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_anonymous"):
            cleaned["notify_by"] = NotifyBy.NONE  # nothing to send it to
            return cleaned
        for name in self.required_submitter_fields():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, ValidationError(_("Fill in this field, or send anonymously."), code="required"))
        notify_by = cleaned.get("notify_by")
        if not notify_by:  # not asked (an old form, a script): whatever address was given
            notify_by = cleaned["notify_by"] = (
                NotifyBy.SMS if cleaned.get("mobile") else (NotifyBy.EMAIL if cleaned.get("email") else NotifyBy.NONE)
            )
        if notify_by in (NotifyBy.SMS, NotifyBy.BOTH) and not cleaned.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", ValidationError(_("Enter your mobile number to get SMS."), code="required"))
        if notify_by in (NotifyBy.EMAIL, NotifyBy.BOTH) and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", ValidationError(_("Enter your e-mail address to get e-mail."), code="required"))
        return cleaned


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )
    secret = forms.CharField(
        label=_("Mobile number or PIN"),
        max_length=40,
        help_text=_("The mobile number you sent the case with; for an anonymous case, the PIN you were given."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}),
    )

    def clean_code(self):
        try:
            return parse_tracking_code(self.cleaned_data["code"])
        except InvalidCode:
            raise ValidationError(
                _("This code is not valid. Check the digits and try again."), code="invalid_code"
            ) from None


class CitizenMessageForm(forms.Form):
    text = PersianCharField(
        label=_("Your message"),
        multiline=True,
        max_length=settings.MIZ_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "data-maxlength": settings.MIZ_BODY_MAX_LENGTH}),
    )
    attachments = AttachmentsField(label=_("Attachments"))


class ObjectionForm(forms.Form):
    text = PersianCharField(
        label=_("What is wrong with the answer?"),
        multiline=True,
        max_length=settings.MIZ_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-maxlength": settings.MIZ_BODY_MAX_LENGTH}),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        coerce=int,
        choices=[
            (5, _("5 — very satisfied")),
            (4, _("4 — satisfied")),
            (3, _("3 — neither")),
            (2, _("2 — dissatisfied")),
            (1, _("1 — very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = PersianCharField(
        label=_("Comment (optional)"),
        multiline=True,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
