"""Stored uploads: the abstract models every attachment extends, their checks and download.

A file's type is read from its content, never from its name. It is stored under a random name
whose extension comes from that type (`minutes/2026/<32 hex>.pdf`), so nothing a visitor names
ever reaches the disk; the name it came with is kept, cleaned, for display and download. Files
are served only by views that check the permission of what they belong to (`file_response`),
never from `MEDIA_URL`; from an object store, by a short-lived signed link (`ogp_portal.storage`).
"""

import logging
import struct
import unicodedata
import uuid
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import NamedTuple

import filetype
import olefile
from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .storage import ObjectStorage

logger = logging.getLogger(__name__)
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
# Hancom Office (한글): HWP 5 is an OLE compound file whose FileHeader stream starts with the
# signature below; HWPX is an OWPML package, a zip whose first entry `mimetype` names it.
HWP = "application/x-hwp"
HWPX = "application/hwp+zip"
# Files stored before types were checked this way whose content is no longer recognised.
UNKNOWN = "application/octet-stream"

# The extension each type is stored and downloaded with, and the others its name may carry.
EXTENSIONS = {
    PDF: ("pdf",),
    PNG: ("png",),
    JPEG: ("jpg", "jpeg"),
    GIF: ("gif",),
    WEBP: ("webp",),
    HWP: ("hwp",),
    HWPX: ("hwpx",),
    UNKNOWN: ("bin",),
}
IMAGE_TYPES = {PNG, JPEG, GIF, WEBP}
DOCUMENT_TYPES = {PDF, HWP, HWPX, *IMAGE_TYPES}

# Longest name an upload may come with, in characters (it is kept for display and download).
NAME_MAX_LENGTH = 200

OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
HWP_SIGNATURE = b"HWP Document File"
ZIP_SIGNATURE = b"PK\x03\x04"
HWPX_MIMETYPE = HWPX.encode()


def _is_hwp(upload) -> bool:
    """An OLE compound file with a FileHeader stream that carries the HWP 5 signature."""
    try:
        with olefile.OleFileIO(upload) as ole:
            if ole.get_type("FileHeader") != olefile.STGTY_STREAM:
                return False
            with ole.openstream("FileHeader") as stream:
                return stream.read(len(HWP_SIGNATURE)) == HWP_SIGNATURE
    except (OSError, ValueError, IndexError, struct.error):
        return False  # a damaged or forged compound file


def _is_hwpx(upload) -> bool:
    """A zip whose first entry is `mimetype` naming HWPX, holding OWPML's content manifest."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if not entries or entries[0].filename != "mimetype" or entries[0].file_size > 64:
                return False
            if (
                len(entries) > ARCHIVE_MAX_ENTRIES
                or sum(entry.file_size for entry in entries) > settings.ARCHIVE_MAX_EXPANDED_BYTES
            ):
                return False  # a zip bomb: whoever opens it would unpack far more than came
            if archive.testzip() is not None:
                # A part whose data does not match its declared size and checksum: a bomb that
                # declares small sizes inflates far more in an unpacker that trusts the data.
                return False
            return (
                archive.read(entries[0]).strip() == HWPX_MIMETYPE
                and "Contents/content.hpf" in archive.namelist()
            )
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, EOFError):
        return False  # a damaged archive, or one compressed in a way zipfile cannot read


# An HWPX package holds a few dozen parts; an archive of more, or one that unpacks to more than
# ARCHIVE_MAX_EXPANDED_BYTES, is refused.
ARCHIVE_MAX_ENTRIES = 2000
# What in a PDF runs code when it is opened or clicked: JavaScript, or launching a program.
PDF_CODE_KEYS = {"/JS", "/JavaScript"}
PDF_CODE_ACTIONS = {"/JavaScript", "/Launch"}


def _pdf_object_runs_code(obj) -> bool:
    """An object, with the dictionaries and arrays written inside it (an action is often a
    dictionary inside the catalog or a page, not an object of its own); references are not
    followed, as every object is read in its turn."""
    if isinstance(obj, DictionaryObject):
        if PDF_CODE_KEYS & set(obj) or obj.get("/S") in PDF_CODE_ACTIONS:
            return True
        return any(_pdf_object_runs_code(value) for value in dict.values(obj))
    if isinstance(obj, ArrayObject):
        return any(_pdf_object_runs_code(value) for value in list.__iter__(obj))
    return False


def pdf_runs_code(upload) -> bool:
    """Whether a PDF carries JavaScript or a launch action, in any object (pypdf reads object
    streams too); a file pypdf cannot read is searched as raw bytes for the same names."""
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        numbers = {(n, g) for g, objects in reader.xref.items() for n in objects}
        numbers |= {(n, 0) for n in reader.xref_objStm}
        for number, generation in numbers:
            if _pdf_object_runs_code(reader.get_object(IndirectObject(number, generation, reader))):
                return True
        return False
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        upload.seek(0)
        raw = upload.read()
        return any(name.encode() in raw for name in [*PDF_CODE_KEYS, "/Launch"])
    finally:
        upload.seek(0)


def sniff_content_type(upload) -> str | None:
    """The type read from the file's content, whatever its name says; None when not allowed.

    PDF and images by their signature (filetype); HWP and HWPX by their structure, as their
    signatures (an OLE or a zip header) are shared with many other formats. What cannot be
    checked this way (Word, Excel, plain text, archives …) is not accepted.
    """
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    try:
        if head.startswith(OLE_SIGNATURE):
            return HWP if _is_hwp(upload) else None
        if head.startswith(ZIP_SIGNATURE):
            return HWPX if _is_hwpx(upload) else None
    finally:
        upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in EXTENSIONS else None


def clean_upload_name(name: str) -> str:
    """The name an upload came with, fit for display: refused when empty, a path or too long."""
    name = "".join(c for c in unicodedata.normalize("NFC", name or "") if c.isprintable())
    name = name.strip()
    if not name.strip("."):
        raise ValidationError(_("The file has no name: rename it and try again."))
    if "/" in name or "\\" in name:
        raise ValidationError(_("The file name may not contain a folder: rename it."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _(
                "The file name is %(length)d characters long; at most %(limit)d are allowed: "
                "shorten it and try again."
            )
            % {"length": len(name), "limit": NAME_MAX_LENGTH}
        )
    return name


def _validate_name_and_size(upload) -> None:
    clean_upload_name(upload.name)
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )


def validate_attachment(upload) -> None:
    """PDF or HWP/HWPX documents and images, checked by their content, within the limits."""
    _validate_name_and_size(upload)
    kind = sniff_content_type(upload)
    if kind not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Only PDF, HWP and HWPX documents and images (PNG, JPEG, GIF, WebP) are allowed.")
        )
    if kind == PDF and pdf_runs_code(upload):
        raise ValidationError(
            _(
                "This PDF contains JavaScript or starts a program when opened, which is not "
                "allowed: save it again without scripts (for example, print it to PDF)."
            )
        )


def validate_image(upload) -> None:
    _validate_name_and_size(upload)
    if sniff_content_type(upload) not in IMAGE_TYPES:
        raise ValidationError(_("Only images (PNG, JPEG, GIF, WebP) are allowed."))


def checked_upload(upload, *, validator=validate_attachment, field: str = "file") -> dict:
    """Validates an upload and returns the fields every stored upload keeps."""
    validator(upload)
    return {
        field: upload,
        "content_type": sniff_content_type(upload),
        "original_name": clean_upload_name(upload.name),
        "size": upload.size,
    }


def stored_file_path(instance, filename: str) -> str:
    """`<folder>/<year>/<random>.<extension of the detected type>`: the given name is not used."""
    extension = EXTENSIONS[instance.content_type][0]
    return f"{instance.folder()}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class Upload(models.Model):
    """What every stored upload keeps beside its file: its detected type and given name."""

    file_field = "file"

    content_type = models.CharField(gettext_lazy("content type"), max_length=60, editable=False)
    original_name = models.CharField(
        gettext_lazy("file name"), max_length=NAME_MAX_LENGTH, editable=False
    )
    size = models.PositiveIntegerField(gettext_lazy("size in bytes"), editable=False)

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        """The view that serves the file to those allowed to read what it belongs to."""
        raise NotImplementedError

    def folder(self) -> str:
        raise NotImplementedError

    def stored(self):
        return getattr(self, self.file_field)

    def download_name(self) -> str:
        """The given name, with the extension of the detected type if it said another."""
        name = PurePosixPath(self.original_name)
        extensions = EXTENSIONS[self.content_type]
        if name.suffix[1:].lower() in extensions:
            return self.original_name
        return f"{name.stem if name.suffix else name.name}.{extensions[0]}"


class StoredFile(Upload):
    """An upload kept with its title."""

    title = models.CharField(gettext_lazy("title"), max_length=200)
    file = models.FileField(gettext_lazy("file"), upload_to=stored_file_path)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


# Served files run nothing, are never framed and never read as another type.
FILE_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, no-cache",
}


def file_response(upload: Upload) -> HttpResponse:
    """Serves a stored upload as a download of its detected type, under its given name.

    Called by views after their permission check. Always an attachment, images and PDF
    included: an image still shows in the page's `<img>` (Content-Disposition applies only to
    navigation), and a file opened from a link is saved, not rendered under the site's origin.
    Django writes the name as RFC 6266/5987 `filename*` when it is not ASCII (Korean names).
    From an object store, the answer is a redirect to a short-lived link signed for this file
    (`ogp_portal.storage`); from the disk, the file itself. A file missing from storage is a
    404, and logged: it was lost or deleted behind the portal's back.
    """
    stored = upload.stored()
    storage = stored.storage
    try:
        if isinstance(storage, ObjectStorage):
            if not storage.exists(stored.name):
                raise FileNotFoundError(stored.name)
            response = HttpResponseRedirect(
                storage.download_url(
                    stored.name, filename=upload.download_name(), content_type=upload.content_type
                )
            )
            response["Cache-Control"] = "private, no-store"
            response["Referrer-Policy"] = "no-referrer"
            return response
        response = FileResponse(
            stored.open("rb"),
            content_type=upload.content_type,
            as_attachment=True,
            filename=upload.download_name(),
        )
    except FileNotFoundError as missing:
        logger.error("Stored file missing: %s (%s %s)", missing, upload._meta.label, upload.pk)
        raise Http404(_("This file is no longer available.")) from None
    for header, value in FILE_SECURITY_HEADERS.items():
        response[header] = value
    return response


class DownloadLink(NamedTuple):
    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class StoredFileWidget(AdminFileWidget):
    """The admin's file input, linking a stored file to the view that checks who may read it."""

    upload = None

    def format_value(self, value):
        if self.is_initial(value) and self.upload is not None:
            return DownloadLink(self.upload.get_absolute_url(), self.upload.original_name)
        return super().format_value(value)


class CheckedUploadForm(forms.ModelForm):
    """A form for a stored upload (admin inlines too): the same checks as the site's forms."""

    validator = staticmethod(validate_attachment)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_field = self._meta.model.file_field
        field = self.fields[self.file_field]
        # The name's length is checked by the validator, with its own message.
        field.max_length = None
        field.widget = StoredFileWidget()
        if self.instance.pk:
            field.widget.upload = self.instance

    def clean(self):
        data = super().clean()
        upload = data.get(self.file_field)
        if upload is not None and self.file_field in self.changed_data:
            try:
                self.validator(upload)
            except ValidationError as error:
                self.add_error(self.file_field, error)
        return data

    def save(self, commit=True):
        stored = super().save(commit=False)
        if self.file_field in self.changed_data:
            upload = self.cleaned_data[self.file_field]
            stored.content_type = sniff_content_type(upload)
            stored.original_name = clean_upload_name(upload.name)
            stored.size = upload.size
        if commit:
            stored.save()
        return stored
