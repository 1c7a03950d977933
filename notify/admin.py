from django import forms
from django.contrib import admin, messages
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notify import outbox, wording
from notify.models import Attempt, Message, MessageTemplate, Unsubscription


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ("number", "started_at", "finished_at", "ok", "permanent", "status_code", "gateway_id", "detail")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits, and what failed for good (with why), to be retried by hand."""

    list_display = ("created_at", "template", "channel", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "channel", "template")
    search_fields = ("key", "case__tracking_code")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Message._meta.fields]
    inlines = [AttemptInline]
    actions = ["retry"]
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed messages again"), permissions=["view"])
    def retry(self, request, queryset):
        count = outbox.retry_by_hand(queryset)
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


class MessageTemplateForm(forms.ModelForm):
    name = forms.ChoiceField(label=_("message"), choices=())

    class Meta:
        model = MessageTemplate
        fields = ("name", "sms_text", "email_subject", "email_text", "email_html")
        widgets = {
            part: forms.Textarea(attrs={"rows": 6, "dir": "rtl"}) for part in ("sms_text", "email_text", "email_html")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(kind.name, kind.label) for kind in wording.MESSAGE_KINDS.values()]
        kind = wording.MESSAGE_KINDS.get(self.initial.get("name") or self.data.get("name") or "")
        if kind is not None:
            variables = "، ".join(f"{{{{ {name} }}}}" for name in kind.variables)
            for part in wording.PARTS:
                self.fields[part].help_text = _("Leave blank to keep the default wording. Variables: %(variables)s") % {
                    "variables": variables
                }

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        for part in wording.PARTS if name else ():
            source = cleaned.get(part) or ""
            try:
                wording.check_source(source, part, name)
            except TemplateSyntaxError as error:
                self.add_error(part, _("This wording has an error: %(error)s") % {"error": error})
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Administrators reword a message; the form starts from the default wording of each part."""

    form = MessageTemplateForm
    list_display = ("name", "updated_at")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "message_kinds": list(wording.MESSAGE_KINDS.values()),
            "customized": set(MessageTemplate.objects.values_list("name", flat=True)),
        }
        return super().changelist_view(request, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        name = initial.get("name")
        if name in wording.MESSAGE_KINDS:
            for part in wording.PARTS:
                initial[part] = wording.editable_default(name, part)
        return initial


@admin.register(Unsubscription)
class UnsubscriptionAdmin(admin.ModelAdmin):
    list_display = ("address", "created_at")
    search_fields = ("address",)
