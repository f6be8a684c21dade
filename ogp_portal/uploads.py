"""Stored uploads: the abstract models every attachment extends, their checks and download.

A file's type is read from its content, never from its name. It is stored under a random name
whose extension comes from that type (`minutes/2026/<32 hex>.pdf`), so nothing a visitor names
ever reaches the disk; the name it came with is kept, cleaned, for display and download. Files
are served only by views that check the permission of what they belong to (`file_response`),
never from `MEDIA_URL`; from an object store, by a short-lived signed link (`ogp_portal.storage`).
"""

import contextlib
import logging
import re
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
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

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


def _inflate(data, limit: int, wbits: int = zlib.MAX_WBITS) -> bytes | None:
    """Compressed data inflated up to `limit` bytes; None when it would pass them (a
    decompression bomb). Raises zlib.error for data that is not whole compressed data."""
    inflater = zlib.decompressobj(wbits)
    inflated = inflater.decompress(data, max(limit, 1))
    if inflater.unconsumed_tail:
        return None
    if not inflater.eof:
        raise zlib.error("compressed data cut short")
    return inflated


# What in an HWP or HWPX document runs code, or can when it is opened or clicked:
# - a document script (JScript) that does anything. Hancom writes a script into every document
#   (the `Scripts` storage of HWP 5, the `Scripts/` parts of HWPX), by default one that only
#   names the document and defines an empty event function: that one is accepted, a script with
#   any other statement refused;
# - PostScript images (EPS), which viewers hand to a PostScript interpreter, and programs and
#   script files, judged by their name, their content and the type the HWPX manifest gives them;
# - OLE packages: a file of any kind wrapped in an OLE object, run by a double-click. Other OLE
#   objects (a chart, a table from a spreadsheet) are accepted.
DOCUMENT_CODE_EXTENSIONS = {
    *("eps", "epsf", "epsi", "ps"),
    *("js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "ps1", "bat", "cmd"),
    *("exe", "dll", "com", "scr", "pif", "msi", "jar", "lnk", "swf"),
}
DOCUMENT_CODE_CONTENT_TYPES = {
    "application/postscript",
    "application/x-msdownload",
    "application/x-executable",
    "application/x-shockwave-flash",
}
# The header of an EPS file with a preview, which filetype does not name.
EPS_BINARY_SIGNATURE = bytes.fromhex("c5d0d3c6")
OLE_PACKAGE_STREAM = "\x01Ole10Native"
OLE_PACKAGE_CLSID = "0003000C-0000-0000-C000-000000000046"
SCRIPT_MEDIA_TYPE = re.compile(r"javascript|ecmascript|jscript|vbscript", re.IGNORECASE)
CODE_MEDIA_TYPE = re.compile(r"postscript|msdownload|executable|java-archive|flash", re.IGNORECASE)
MANIFEST_ITEM = re.compile(r"<[\w:]*item\b[^>]*>")
MANIFEST_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A script that does nothing, once its comments are taken out: variables naming
# objects (`var Document = Documents.Active_XHwpDocument;`) and empty functions.
# A comment left open runs to the end (and keeps the reading linear). JScript runs what is written
# in a comment after `@` (conditional compilation, `/*@cc_on … @*/`): a script with `@` does
# something.
SCRIPT_COMMENT = re.compile(r"//[^\r\n\u2028\u2029]*|/\*.*?(?:\*/|\Z)", re.DOTALL)
SCRIPT_DOING_NOTHING = re.compile(
    r"(?:\s|var\s+\w+\s*=\s*\w+(?:\.\w+)*\s*;|function\s+\w+\s*\(\s*\)\s*\{\s*\})*"
)


def _script_does_something(script: str) -> bool:
    return "@" in script or SCRIPT_DOING_NOTHING.fullmatch(SCRIPT_COMMENT.sub(" ", script)) is None


def _script_text(data: bytes) -> str:
    """A script part's text: UTF-16 (as Hancom writes them) or UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-16-le" if b"\0" in data else "utf-8", errors="replace")


def _ole_object_packages_a_file(data: bytes) -> bool:
    """Whether an embedded OLE object (a compound file, as stored or behind the four bytes of
    its length, as HWP stores it) is a package, the wrapper of a file that a double-click runs."""
    for start in (0, 4):
        if data[start : start + len(OLE_SIGNATURE)] == OLE_SIGNATURE:
            try:
                with olefile.OleFileIO(data[start:]) as ole:
                    return ole.root.clsid == OLE_PACKAGE_CLSID or any(
                        path[-1] == OLE_PACKAGE_STREAM for path in ole.listdir()
                    )
            except (OSError, ValueError, IndexError, struct.error):
                return True  # an OLE object that cannot be read cannot be checked
    return False


def _embedded_part_runs_code(name: str, data: bytes) -> bool:
    """An embedded part (an image, an OLE object …), by its name and its content."""
    kind = filetype.guess(data[:8192])
    return (
        PurePosixPath(name.lower()).suffix[1:] in DOCUMENT_CODE_EXTENSIONS
        or (kind is not None and kind.mime in DOCUMENT_CODE_CONTENT_TYPES)
        or data.startswith(EPS_BINARY_SIGNATURE)
        or _ole_object_packages_a_file(data)
    )


def _manifest_declares_code(manifest: bytes) -> bool:
    """Whether the HWPX manifest (`Contents/content.hpf`) gives a part the type of a program or
    PostScript, or of a script outside `Scripts/` (where Hancom keeps them, and they are read)."""
    for item in MANIFEST_ITEM.findall(manifest.decode("utf-8", errors="replace")):
        attributes = {
            name.lower(): double or single
            for name, double, single in MANIFEST_ATTRIBUTE.findall(item)
        }
        media_type = attributes.get("media-type", "")
        if CODE_MEDIA_TYPE.search(media_type) or (
            SCRIPT_MEDIA_TYPE.search(media_type)
            and not attributes.get("href", "").lower().startswith("scripts/")
        ):
            return True
    return False


def hwpx_runs_code(upload) -> bool:
    """Whether an HWPX package (already checked as one, within its size) holds a script that
    does something or embedded code (see DOCUMENT_CODE_EXTENSIONS)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            for entry in archive.infolist():
                data = archive.read(entry)
                if entry.filename.lower().startswith("scripts/"):
                    if _script_does_something(_script_text(data)):
                        return True
                elif _embedded_part_runs_code(entry.filename, data):
                    return True
            return _manifest_declares_code(archive.read("Contents/content.hpf"))
    finally:
        upload.seek(0)


def _hwp_script(data: bytes) -> str | None:
    """The text of HWP 5's `DefaultJScript`: header, source, pre- and post-source, each a length
    in characters then UTF-16 text, and an end mark; None when it is not written so."""
    texts, offset = [], 0
    while offset + 4 <= len(data):
        (length,) = struct.unpack_from("<I", data, offset)
        if length == 0xFFFFFFFF:
            break
        offset += 4 + 2 * length
        if offset > len(data):
            return None
        texts.append(data[offset - 2 * length : offset].decode("utf-16-le", errors="replace"))
    return "\n".join(texts)


def hwp_runs_code(upload) -> bool:
    """Whether an HWP 5 document (already checked as one) holds a script that does something
    (its `Scripts` storage) or embedded code in its `BinData` storage; names are compared
    without case, as compound files do. The script is compressed (raw deflate) when the
    FileHeader's first property bit says so; an embedded item may be either way whatever that
    bit says, so it is checked as stored and, when it inflates, inflated. What is inflated stays
    within ARCHIVE_MAX_EXPANDED_BYTES in all."""
    upload.seek(0)
    budget = settings.ARCHIVE_MAX_EXPANDED_BYTES
    try:
        with olefile.OleFileIO(upload) as ole:
            with ole.openstream("FileHeader") as header:
                properties = header.read(40)[36:]
            compressed = len(properties) == 4 and struct.unpack("<I", properties)[0] & 1
            for path in ole.listdir():
                storage, name = path[0].lower(), "/".join(path[1:]).lower()
                if (
                    storage not in ("scripts", "bindata")
                    or f"{storage}/{name}" == "scripts/jscriptversion"
                ):
                    continue
                with ole.openstream(path) as stream:
                    stored = stream.read()
                inflated = None
                with contextlib.suppress(zlib.error):
                    inflated = _inflate(stored, budget, -zlib.MAX_WBITS)
                    if inflated is None:
                        return True  # a decompression bomb
                    budget -= len(inflated)
                if storage == "scripts":
                    data = inflated if compressed and inflated is not None else stored
                    script = _hwp_script(data) if name == "defaultjscript" else None
                    if script is None or _script_does_something(script):
                        return True
                elif any(
                    _embedded_part_runs_code(name, data)
                    for data in (stored, inflated)
                    if data is not None
                ):
                    return True
            return False
    except (OSError, ValueError, IndexError, struct.error):
        return True  # read once already: a part that cannot be read now cannot be checked
    finally:
        upload.seek(0)


# What makes a PDF refused, wherever it is written as a name (a key or a value): JavaScript,
# launching a program, XFA forms (which carry scripts of their own), rich media (Flash) and
# embedded files. A PDF that opens at a page, or has ordinary links, is accepted.
PDF_REFUSED_NAMES = {
    *("/JS", "/JavaScript", "/Launch", "/XFA", "/RichMedia"),
    *("/EmbeddedFile", "/EmbeddedFiles", "/FileAttachment"),
}
# Those long enough never to be spelt by chance in a stream's binary data.
PDF_REFUSED_LONG_NAMES = {name for name in PDF_REFUSED_NAMES if len(name) > 3}
PDF_NAME = re.compile(rb"/[^\x00\t\n\f\r /()<>\[\]{}%]*")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
PDF_FLATE = {"/FlateDecode", "/Fl"}
PDF_OTHER_FILTERS = {
    *("/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85", "/LZWDecode", "/LZW"),
    *("/RunLengthDecode", "/RL", "/Crypt"),
}


def _pdf_object_runs_code(obj) -> bool:
    """An object, with the dictionaries and arrays written inside it (an action is often a
    dictionary inside the catalog or a page, not an object of its own); references are not
    followed, as every object is read in its turn."""
    if isinstance(obj, DictionaryObject):
        return any(
            key in PDF_REFUSED_NAMES or _pdf_object_runs_code(value)
            for key, value in dict.items(obj)
        )
    if isinstance(obj, ArrayObject):
        return any(_pdf_object_runs_code(value) for value in list.__iter__(obj))
    return isinstance(obj, NameObject) and obj in PDF_REFUSED_NAMES


def _pdf_names(data: bytes) -> set[str]:
    """The names written in PDF syntax, their `#xx` escapes undone."""
    return {
        PDF_NAME_ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), name).decode("latin-1")
        for name in PDF_NAME.findall(data)
    }


def _pdf_bytes_run_code(raw: bytes) -> bool:
    """The file read as bytes, whatever its cross-reference lists:
    - the long refused names anywhere, escaped or not;
    - all refused names outside streams (page contents, images and fonts hold no actions);
    - all refused names in every object stream (`/ObjStm`), inflated within
      ARCHIVE_MAX_EXPANDED_BYTES in all. One that cannot be read is refused, but in an
      encrypted file (whose streams pypdf decrypts, for the objects the cross-reference lists).
    """
    if _pdf_names(raw) & PDF_REFUSED_LONG_NAMES:
        return True
    starts = list(PDF_STREAM.finditer(raw))
    outside, position, object_streams, end = [], 0, [], -1
    for index, start in enumerate(starts):
        # The names since the previous `stream` keyword, the stream's dictionary among them:
        # every keyword counts, one written in a string or inside another stream's data too, so
        # that no forged keyword or string can hide the object stream that follows it. Each
        # stream's data is read up to its `endstream`, and no further than the next keyword:
        # an object stream cut short by a forged one does not inflate whole, and is refused.
        own = _pdf_names(raw[starts[index - 1].end() if index else 0 : start.end()])
        if end < start.end():
            end = raw.find(b"endstream", start.end())
            end = len(raw) if end == -1 else end
        if "/ObjStm" in own:
            following = starts[index + 1].start() if index + 1 < len(starts) else len(raw)
            object_streams.append((own, memoryview(raw)[start.end() : min(end, following)]))
        if start.start() >= position:
            outside.append(raw[position : start.end()])
            position = end
    outside.append(raw[position:])
    names = _pdf_names(b"\n".join(outside))
    if names & PDF_REFUSED_NAMES:
        return True
    if "/Encrypt" in names:
        return False
    budget = settings.ARCHIVE_MAX_EXPANDED_BYTES
    for own, data in object_streams:
        text = _pdf_object_stream_text(own, data, budget)
        if text is None or _pdf_names(text) & PDF_REFUSED_NAMES:
            return True
        budget -= len(text)
    return False


def _pdf_object_stream_text(own: set[str], data, budget: int) -> bytes | None:
    """An object stream's data as text, given the names of its dictionary, inflated within
    `budget`; None when it is encoded in a way not read here, damaged or too large."""
    if (
        own & PDF_OTHER_FILTERS
        or ("/Filter" in own and not own & PDF_FLATE)
        or "/DecodeParms" in own  # a predictor: the inflated data is not the text yet
    ):
        return None
    if not own & PDF_FLATE:
        return bytes(data)
    try:
        return _inflate(data, budget)
    except zlib.error:
        return None


def _pdf_pointed_object_streams_run_code(reader: PdfReader) -> bool:
    """The streams the cross-reference points into as object streams, read whatever their
    dictionary says of their type: pypdf reads only those marked `/Type /ObjStm`, a viewer
    reads any. One that cannot be read is refused."""
    budget = settings.ARCHIVE_MAX_EXPANDED_BYTES
    for number in sorted({pointer[0] for pointer in reader.xref_objStm.values()}):
        stream = reader.get_object(IndirectObject(number, 0, reader))
        if not isinstance(stream, StreamObject):
            continue  # not a stream: no viewer finds objects in it either
        filters = stream.get("/Filter", ())
        own = {*map(str, stream), *map(str, filters if isinstance(filters, list) else [filters])}
        # The data as stored (decrypted, not decoded): decoded here within the budget.
        text = _pdf_object_stream_text(own, stream._data, budget)
        if text is None or _pdf_names(text) & PDF_REFUSED_NAMES:
            return True
        budget -= len(text)
    return False


def pdf_runs_code(upload) -> bool:
    """Whether a PDF carries JavaScript, a launch action, an XFA form, rich media or an
    embedded file (PDF_REFUSED_NAMES): in any object pypdf reads (object streams too), and in
    the file read as bytes, where an object the cross-reference leaves out is found as well."""
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    if _pdf_bytes_run_code(raw):
        return True
    try:
        reader = PdfReader(upload, strict=False)
        numbers = {(n, g) for g, objects in reader.xref.items() for n in objects}
        numbers |= {(n, 0) for n in reader.xref_objStm}
        if _pdf_pointed_object_streams_run_code(reader):
            return True
        return any(
            _pdf_object_runs_code(reader.get_object(IndirectObject(number, generation, reader)))
            for number, generation in numbers
        )
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False  # what pypdf cannot read was read as bytes above
    finally:
        upload.seek(0)


def pdf_is_locked(upload) -> bool:
    """Whether a PDF opens only with a password: its objects cannot be read, so not checked."""
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        return reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False  # what pypdf cannot read is read as bytes (`pdf_runs_code`)
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


# PDF readers take a file whose `%PDF-` comes anywhere in its first kilobyte: a GIF header
# followed by a PDF is an image to the portal and a PDF, scripts included, to a reader.
PDF_HEADER = b"%PDF-"
PDF_HEADER_WINDOW = 1024


def _validate_no_hidden_pdf(upload, kind: str | None) -> None:
    """A file of another type that also reads as a PDF is refused; a PDF is checked as one."""
    upload.seek(0)
    head = upload.read(PDF_HEADER_WINDOW)
    upload.seek(0)
    if kind != PDF and PDF_HEADER in head:
        raise ValidationError(
            _(
                "This file hides a PDF behind the start of another type, which is not "
                "allowed: save it again as a plain image or document and try again."
            )
        )


def validate_attachment(upload) -> None:
    """PDF or HWP/HWPX documents and images, checked by their content, within the limits."""
    _validate_name_and_size(upload)
    kind = sniff_content_type(upload)
    _validate_no_hidden_pdf(upload, kind)
    if kind not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Only PDF, HWP and HWPX documents and images (PNG, JPEG, GIF, WebP) are allowed.")
        )
    if kind == PDF and pdf_is_locked(upload):
        raise ValidationError(
            _(
                "This PDF opens only with a password, so its contents cannot be checked: save "
                "it again without the password and try again."
            )
        )
    if kind == PDF and pdf_runs_code(upload):
        raise ValidationError(
            _(
                "This PDF contains JavaScript, an XFA form, embedded files or media, or starts "
                "a program when opened, which is not allowed: save it again without them (for "
                "example, print it to PDF)."
            )
        )
    if (kind == HWP and hwp_runs_code(upload)) or (kind == HWPX and hwpx_runs_code(upload)):
        raise ValidationError(
            _(
                "This HWP or HWPX document contains a script (macro), a PostScript (EPS) image "
                "or an embedded program, which is not allowed: remove them, or save it as PDF, "
                "and try again."
            )
        )


def validate_image(upload) -> None:
    _validate_name_and_size(upload)
    kind = sniff_content_type(upload)
    _validate_no_hidden_pdf(upload, kind)
    if kind not in IMAGE_TYPES:
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

    def belongs_to(self) -> str:
        """ "proposals.proposal #3": the record the file belongs to (its first link that is
        set), named as access records name a record (`audit.access`)."""
        for field in self._meta.concrete_fields:
            if field.many_to_one and getattr(self, field.attname) is not None:
                return f"{field.related_model._meta.label_lower} #{getattr(self, field.attname)}"
        return ""


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
            # What the signed link answers with: this answer is the download too (a staff
            # member's is an access record, `audit.access`, about the record the file belongs
            # to); browsers ignore it on a redirect.
            response["Content-Disposition"] = content_disposition_header(
                True, upload.download_name()
            )
            response.access_target = upload.belongs_to()
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
    response.access_target = upload.belongs_to()
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
