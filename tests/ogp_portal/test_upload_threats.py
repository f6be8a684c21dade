"""Uploads that would harm whoever opens them: PDFs that run JavaScript, archives that explode."""

import io
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
