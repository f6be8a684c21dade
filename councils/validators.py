import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
DOCUMENT_TYPES = {"application/pdf", *IMAGE_TYPES}


def sniff_content_type(upload) -> str | None:
    """The type read from the file's first bytes, whatever its name says."""
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    return kind.mime if kind else None


def _validate_size(upload) -> None:
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )


def validate_attachment(upload) -> None:
    """PDF documents and images, checked by their content, within the size limit."""
    _validate_size(upload)
    if sniff_content_type(upload) not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Only PDF documents and images (PNG, JPEG, GIF, WebP) are allowed.")
        )


def validate_image(upload) -> None:
    _validate_size(upload)
    if sniff_content_type(upload) not in IMAGE_TYPES:
        raise ValidationError(_("Only images (PNG, JPEG, GIF, WebP) are allowed."))


def checked_upload(upload, *, validator=validate_attachment) -> dict:
    """Validates an upload and returns the fields every stored attachment keeps."""
    validator(upload)
    return {"file": upload, "content_type": sniff_content_type(upload), "size": upload.size}
