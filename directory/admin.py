import logging

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from directory import transfer
from directory.forms import OrganizationProfileAdminForm, PositionAdminForm
from directory.models import OrganizationProfile, Position, StaffMembership, Topic, Unit, UnitPhone
from persian.jalali import to_jalali

logger = logging.getLogger(__name__)


class PositionInline(admin.StackedInline):
    model = Position
    form = PositionAdminForm
    extra = 0
    fields = [
        ("title", "order"), ("holder_name", "holding", "is_head"), ("phone", "email"), ("office_hours", "room"),
        "photo", "is_sample",
    ]  # fmt: skip


class UnitPhoneInline(admin.TabularInline):
    model = UnitPhone
    extra = 0
    fields = ["order", "label", "number"]


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
    inlines = [UnitPhoneInline, PositionInline, TopicInline]


class DirectoryImportForm(forms.Form):
    # An empty file is reported by the import itself, in the same words as every other bad file.
    file = forms.FileField(
        label=_("CSV or Excel file"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    form = PositionAdminForm
    list_display = ["title", "holder_name", "unit", "holding", "is_head", "phone", "email", "is_sample", "order"]
    list_editable = ["order"]
    list_filter = ["unit", "holding", "is_head", "is_sample"]
    list_select_related = ["unit"]
    search_fields = ["title", "holder_name", "unit__name"]

    # --- Import and export of the whole directory (directory/transfer.py, docs/directory-import.md) ---

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("export/csv/", wrap(self.export_view), {"file_format": "csv"}, name=f"{prefix}_export_csv"),
            path("export/xlsx/", wrap(self.export_view), {"file_format": "xlsx"}, name=f"{prefix}_export_xlsx"),
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            *super().get_urls(),
        ]

    def _unit_admin(self):
        return self.admin_site.get_model_admin(Unit)

    def can_export(self, request) -> bool:
        return self.has_view_permission(request) and self._unit_admin().has_view_permission(request)

    def can_import(self, request) -> bool:
        """The import creates and changes positions and changes units (their details and phones)."""
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and self._unit_admin().has_change_permission(request)
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export_directory": self.can_export(request),
            "can_import_directory": self.can_import(request),
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request, file_format: str):
        if not self.can_export(request):
            raise PermissionDenied
        if file_format == "xlsx":
            content, content_type = transfer.export_xlsx(), transfer.XLSX_CONTENT_TYPE
        else:
            content, content_type = transfer.export_csv(), transfer.CSV_CONTENT_TYPE
        filename = f"directory-{to_jalali(timezone.localdate()).strftime('%Y-%m-%d')}.{file_format}"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response

    def import_view(self, request):
        if not self.can_import(request):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = DirectoryImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                report = transfer.import_file(upload, upload.name)
                logger.info(
                    "Directory import by user %s: %s errors, %s units updated, %s positions created, %s updated",
                    request.user.pk,
                    len(report.errors),
                    report.units_updated,
                    report.positions_created,
                    report.positions_updated,
                )
        else:
            form = DirectoryImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import the directory"),
            "form": form,
            "report": report,
            "columns": transfer.COLUMNS,
            "max_rows": transfer.MAX_ROWS,
            "can_export_directory": self.can_export(request),
        }
        return TemplateResponse(request, "admin/directory/import.html", context)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["label", "unit", "is_public", "order"]
    list_filter = ["is_public", "unit"]
    search_fields = ["label"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(OrganizationProfile)
class OrganizationProfileAdmin(admin.ModelAdmin):
    """One row: the admin opens it directly instead of a list of one."""

    form = OrganizationProfileAdminForm

    def has_add_permission(self, request):
        return not OrganizationProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        profile = OrganizationProfile.current()
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", profile.pk)
