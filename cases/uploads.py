"""Checks on uploaded files: by content, size and count, never by the name or type the browser claims."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from persian.text import normalize_line

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    extension: str
    content_type: str
    original_name: str
    size: int
    sha256: str


def _sniff(upload) -> tuple[str, str] | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg", "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return ".docx", DOCX_TYPE
    return None


def _clean_name(name: str, extension: str) -> str:
    """A display name only (files are stored under generated names): no paths, no control characters."""
    base = normalize_line(name.replace("\\", "/").rsplit("/", 1)[-1])[:200]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'file'}{extension}"


def check_upload(upload) -> CheckedFile:
    if upload.size > settings.MIZ_MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": settings.MIZ_MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    sniffed = _sniff(upload)
    if sniffed is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPG, PNG or Word (docx) file.") % {"name": upload.name},
            code="bad_type",
        )
    extension, content_type = sniffed
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        extension=extension,
        content_type=content_type,
        original_name=_clean_name(upload.name, extension),
        size=upload.size,
        sha256=digest.hexdigest(),
    )


def check_uploads(uploads) -> list[CheckedFile]:
    uploads = list(uploads)
    if len(uploads) > settings.MIZ_MAX_ATTACHMENTS:
        raise ValidationError(
            _("You can attach at most %(count)s files.") % {"count": settings.MIZ_MAX_ATTACHMENTS},
            code="too_many",
        )
    return [check_upload(upload) for upload in uploads]
