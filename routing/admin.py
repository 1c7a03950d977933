from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from routing.models import ModelVersion, RoutingRule, RoutingSettings
from routing.training import activate_version


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["phrase", "unit", "priority", "is_active"]
    list_filter = ["is_active", "unit"]
    list_editable = ["priority", "is_active"]
    search_fields = ["phrase"]


@admin.register(RoutingSettings)
class RoutingSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "confidence_threshold"]

    def has_add_permission(self, request):
        return not RoutingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    """Every trained version is kept; activating an older one is the rollback."""

    list_display = [
        "label", "created_at", "is_active", "features", "training_size", "history_size", "cv_accuracy", "cv_macro_f1",
    ]  # fmt: skip
    readonly_fields = [field.name for field in ModelVersion._meta.fields if field.name not in ("blob",)]
    exclude = ["blob"]
    actions = ["activate"]

    @admin.action(description=_("Make the selected version the active one (roll back or forward)"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        version = queryset.get()
        activate_version(version)
        self.message_user(request, ngettext("%(v)s is now active.", "%(v)s is now active.", 1) % {"v": version})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
