"""Uploads that would harm whoever opens them: PDFs that run JavaScript, archives that explode."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from ogp_portal.uploads import validate_attachment
from tests.factories import PDF


def pdf(*, script: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if script:
        writer.add_open_action(JavaScript(script))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_plain_pdf_is_accepted():
    validate_attachment(upload("plan.pdf", pdf()))
    validate_attachment(upload("old.pdf", PDF))


def test_a_pdf_with_javascript_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="JavaScript"):
        validate_attachment(upload("plan.pdf", pdf(script="app.alert(1)")))


def test_a_pdf_that_pypdf_cannot_read_is_searched_as_bytes():
    broken = b"%PDF-1.4\n1 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n%%EOF\n"
    with pytest.raises(ValidationError, match="JavaScript"):
        validate_attachment(upload("plan.pdf", broken))


def pdf_by_hand(catalog: bytes = b"", page: bytes = b"") -> bytes:
    """A one-page PDF written as bytes, with its cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b">>",
    ]
    content, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(content))
        content += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return content + (
        b"xref\n0 4\n0000000000 65535 f \n%s"
        b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (table, len(content))
    )


@pytest.mark.parametrize(
    ("catalog", "page"),
    [
        (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ", b""),
        (b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> ", b""),
        (b"/OpenAction << /S /Launch /F (calc.exe) >> ", b""),
        (b"", b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> "),
        (b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (1) >>] >> >> ", b""),
    ],
    ids=["open-action", "escaped-names", "launch", "page-action", "names-tree"],
)
def test_a_script_written_inside_another_object_is_refused(catalog, page):
    """The attack run uploaded PDFs whose action is a dictionary written inside the catalog or
    a page, not an object of its own, the usual form of such files: each was accepted."""
    with pytest.raises(ValidationError, match="JavaScript"):
        validate_attachment(upload("plan.pdf", pdf_by_hand(catalog, page)))


def hwpx_bomb(expanded: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("Contents/content.hpf", '<?xml version="1.0"?><opf:package/>')
        archive.writestr("Contents/section0.xml", b"\0" * expanded)
    return buffer.getvalue()


def test_an_hwpx_that_expands_past_the_limit_is_refused(settings):
    settings.ARCHIVE_MAX_EXPANDED_BYTES = 1024 * 1024
    bomb = hwpx_bomb(2 * 1024 * 1024)
    assert len(bomb) < 20 * 1024  # a few kilobytes that unpack to two megabytes
    with pytest.raises(ValidationError, match="HWPX"):
        validate_attachment(upload("plan.hwpx", bomb))
    validate_attachment(upload("plan.hwpx", hwpx_bomb(512 * 1024)))


def test_a_200_mb_zip_bomb_named_hwpx_is_refused():
    with pytest.raises(ValidationError):
        validate_attachment(upload("plan.hwpx", hwpx_bomb(200 * 1024 * 1024)))


def test_a_zip_bomb_that_declares_small_sizes_is_refused():
    """The attack run's 200 MB bomb declared its part 100 bytes long (local header and central
    directory alike): the sum of declared sizes passed, and an unpacker that trusts the
    compressed data inflates all of it."""
    bomb = bytearray(hwpx_bomb(200 * 1024 * 1024))
    real = struct.pack("<I", 200 * 1024 * 1024)
    assert bomb.count(real) == 2
    bomb = bytes(bomb).replace(real, struct.pack("<I", 100))
    with pytest.raises(ValidationError):
        validate_attachment(upload("plan.hwpx", bomb))


def test_an_hwpx_with_damaged_compressed_data_is_refused_with_a_message():
    archive = bytearray(hwpx_bomb(64 * 1024))
    start = archive.index(b"Contents/section0.xml") + len("Contents/section0.xml")
    archive[start : start + 40] = b"\xff" * 40  # the part's compressed data, broken
    with pytest.raises(ValidationError):
        validate_attachment(upload("plan.hwpx", bytes(archive)))
