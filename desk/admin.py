from django.contrib import admin

from desk.models import Holiday, KindDeadline, SavedReply


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(KindDeadline)
class KindDeadlineAdmin(admin.ModelAdmin):
    list_display = ["kind", "working_days"]


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "unit"]
    list_filter = ["unit"]
    search_fields = ["title", "text"]
