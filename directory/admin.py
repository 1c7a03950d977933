from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from directory.models import Position, StaffMembership, Topic, Unit


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ["order", "title", "holder_name", "is_head", "phone", "email", "office_hours", "room", "is_sample"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ["order", "label", "is_public"]


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "is_active", "order"]
    list_editable = ["order"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "code"]
    inlines = [PositionInline, TopicInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "holder_name", "unit", "is_head", "phone", "email", "is_sample"]
    list_filter = ["is_head", "is_sample", "unit"]
    search_fields = ["title", "holder_name", "unit__name"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["label", "unit", "is_public", "order"]
    list_filter = ["is_public", "unit"]
    search_fields = ["label"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]
