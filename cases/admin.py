from django.contrib import admin

from cases.models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    """The timeline, read-only: events are never edited or deleted."""

    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "type", "actor", "from_unit", "to_unit", "from_status", "to_status", "is_public", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Administrators look cases up here; staff work on them in the desk, where every change is an event."""

    list_display = ["tracking_code", "kind", "status", "unit", "created_at", "due_date"]
    list_filter = ["status", "kind", "unit"]
    search_fields = ["tracking_code"]
    readonly_fields = [field.name for field in Case._meta.fields if field.name != "id"]
    inlines = [CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
