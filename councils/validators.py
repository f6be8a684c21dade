import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ATTACHMENT_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def sniff_content_type(upload) -> str | None:
    """The type read from the file's first bytes, whatever its name says."""
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    return kind.mime if kind else None


def validate_attachment(upload) -> None:
    if upload.size > settings.MINUTES_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.MINUTES_ATTACHMENT_MAX_BYTES)}
        )
    if sniff_content_type(upload) not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("Only PDF documents and images (PNG, JPEG, GIF, WebP) are allowed.")
        )
