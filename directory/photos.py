"""Photos and the map image: re-encoded on upload, so no camera metadata (location, device) is ever published."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is already more than any phone takes


def prepare_image(upload, longest_side: int = 600) -> ContentFile:
    """A JPEG at most `longest_side` pixels on its longest side, upright, without EXIF or any other metadata."""
    try:
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Send a JPEG, PNG or WebP picture."), code="format")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This picture is too large."), code="size")
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((longest_side, longest_side))
            out = io.BytesIO()
            # Saved without exif= or icc_profile=: Pillow writes none of the original's metadata.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a picture we can read."), code="invalid") from None
    return ContentFile(out.getvalue(), name="photo.jpg")
