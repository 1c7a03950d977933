"""Admin forms of the directory: pictures are re-encoded on the way in (resized, no metadata)."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from directory.models import OrganizationProfile, Position
from directory.photos import prepare_image


def _prepared(value, longest_side: int):
    # Only a new upload is processed; an unchanged field holds the stored file.
    return prepare_image(value, longest_side) if isinstance(value, UploadedFile) else value


class PositionAdminForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = [
            "unit", "title", "holder_name", "holding", "is_head", "phone", "email", "office_hours", "room", "photo",
            "is_sample", "order",
        ]  # fmt: skip

    def clean_photo(self):
        return _prepared(self.cleaned_data.get("photo"), 600)


class OrganizationProfileAdminForm(forms.ModelForm):
    map_url = forms.URLField(
        label=OrganizationProfile._meta.get_field("map_url").verbose_name,
        help_text=OrganizationProfile._meta.get_field("map_url").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = OrganizationProfile
        fields = ["introduction", "address", "working_hours", "phone", "email", "map_url", "map_image"]

    def clean_map_image(self):
        return _prepared(self.cleaned_data.get("map_image"), 1600)
