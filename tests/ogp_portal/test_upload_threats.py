"""Uploads that would harm whoever opens them: PDFs that run JavaScript, archives that explode,
HWP and HWPX documents that carry scripts or embedded programs."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from ogp_portal.uploads import validate_attachment, validate_image
from tests.factories import HWP_HEADER, PDF, ole_file


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


GIF_HEADER = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


@pytest.mark.parametrize("validate", [validate_attachment, validate_image])
@pytest.mark.parametrize("script", ["app.alert(1)", ""])
def test_an_image_that_is_also_a_pdf_is_refused_with_a_message(validate, script):
    """Attack run 5, item 8: a GIF header followed by a PDF with an open action's script was
    an image to the portal, and a PDF (readers look for `%PDF-` in the first kilobyte)."""
    with pytest.raises(ValidationError, match="PDF를 숨기고"):
        validate(upload("poly.gif", GIF_HEADER + pdf(script=script)))


def test_a_pdf_that_pypdf_cannot_read_is_searched_as_bytes():
    broken = b"%PDF-1.4\n1 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n%%EOF\n"
    with pytest.raises(ValidationError, match="JavaScript"):
        validate_attachment(upload("plan.pdf", broken))


def pdf_by_hand(catalog: bytes = b"", page: bytes = b"", extra=(), *, listed: bool = True) -> bytes:
    """A one-page PDF written as bytes, with its cross-reference table; `extra` objects follow
    from number 4, and the table leaves them out unless `listed`."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b">>",
        *extra,
    ]
    content, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(content))
        content += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets = offsets if listed else offsets[:3]
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return content + (
        b"xref\n0 %d\n0000000000 65535 f \n%s"
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(offsets) + 1, table, len(offsets) + 1, len(content))
    )


def object_stream(objects: dict[int, bytes], padding: int = 0) -> bytes:
    """An object stream (`/ObjStm`) holding the given objects, compressed."""
    index, body = b"", b""
    for number, text in objects.items():
        index += b"%d %d " % (number, len(body))
        body += text + b"\n" + b" " * padding
    data = zlib.compress(index + body)
    return (
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream"
        % (
            len(objects),
            len(index),
            len(data),
            data,
        )
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


XFA = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event activity="docReady">'
    b'<script contentType="application/x-javascript">app.alert(1)</script>'
    b"</event></subform></template></xdp:xdp>"
)


def test_a_pdf_with_an_xfa_form_is_refused():
    """The attack run's PDF carried an XFA form whose script ran when opened: XFA forms are
    refused, as their scripts live in XML streams."""
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(XFA), XFA)
    xfa = pdf_by_hand(b"/AcroForm << /Fields [] /XFA 4 0 R >> ", extra=[stream])
    with pytest.raises(ValidationError, match="XFA"):
        validate_attachment(upload("form.pdf", xfa))


OPEN_ACTION_SCRIPT = {5: b"<< /S /JavaScript /JS (app.alert(1)) >>"}


def png_up_object_stream(objects: dict[int, bytes], columns: int = 8) -> bytes:
    """An object stream whose data went through the PNG "Up" predictor before compression, as
    the second attack run wrote it: inflated alone, it holds no name in the clear."""
    index, body = b"", b""
    for number, text in objects.items():
        index += b"%d %d " % (number, len(body))
        body += text + b"\n"
    plain = index + body
    plain += b" " * (-len(plain) % columns)
    rows, prior = b"", bytes(columns)
    for start in range(0, len(plain), columns):
        row = plain[start : start + columns]
        up = bytes((byte - above) % 256 for byte, above in zip(row, prior, strict=True))
        rows += b"\x02" + up
        prior = row
    data = zlib.compress(rows)
    return (
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode "
        b"/DecodeParms << /Predictor 12 /Columns %d >> /Length %d >>\nstream\n%s\nendstream"
        % (len(objects), len(index), columns, len(data), data)
    )


@pytest.mark.parametrize(
    "hidden",
    [
        object_stream(OPEN_ACTION_SCRIPT),
        object_stream({5: b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"}),
        b"% a stream keyword forged in a comment >>stream\n" + object_stream(OPEN_ACTION_SCRIPT),
        b"<< /Type /ObjStm /N 1 /First 4 /Length 60 /Filter /ASCIIHexDecode >>\nstream\n"
        + b"5 0 << /S /JavaScript /JS (app.alert(1)) >>".hex().encode()
        + b"\nendstream",
        png_up_object_stream(OPEN_ACTION_SCRIPT),
    ],
    ids=["compressed", "escaped-names", "forged-stream-keyword", "hex-encoded", "png-predictor"],
)
def test_a_script_in_an_object_stream_the_cross_reference_leaves_out_is_refused(hidden):
    """The attack run's open action was a reference to an object inside an object stream that
    the cross-reference table did not list: pypdf never read it, a viewer that rebuilds the
    table does. The file is read as bytes too, every object stream inflated."""
    with pytest.raises(ValidationError, match="JavaScript"):
        validate_attachment(
            upload("plan.pdf", pdf_by_hand(b"/OpenAction 5 0 R ", extra=[hidden], listed=False))
        )


def pdf_with_cross_reference_stream(object_stream: bytes) -> bytes:
    """A one-page PDF whose cross-reference is a stream (PDF 1.5), pointing object 5 (the open
    action) into object 4, the given object stream."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        4: object_stream,
    }
    content, offsets = b"%PDF-1.7\n", {}
    for number, body in objects.items():
        offsets[number] = len(content)
        content += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[6] = len(content)
    entries = [struct.pack(">BIH", 0, 0, 65535)]
    entries += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3, 4)]
    entries += [struct.pack(">BIH", 2, 4, 0), struct.pack(">BIH", 1, offsets[6], 0)]
    data = b"".join(entries)
    return content + (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s"
        b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (len(data), data, offsets[6])
    )


@pytest.mark.parametrize("marked", [True, False], ids=["typed", "untyped"])
def test_a_script_in_an_object_stream_without_its_type_is_refused(marked):
    """The fourth attack run left `/Type /ObjStm` out of the object stream the cross-reference
    stream points into: pypdf refuses to read such a stream, and the bytes were searched only
    in streams marked as object streams; a viewer reads it all the same."""
    stream = object_stream(OPEN_ACTION_SCRIPT)
    if not marked:
        stream = stream.replace(b"/Type /ObjStm ", b"")
    with pytest.raises(ValidationError, match="JavaScript"):
        validate_attachment(upload("plan.pdf", pdf_with_cross_reference_stream(stream)))


def test_a_pdf_with_a_cross_reference_stream_and_a_harmless_object_stream_is_accepted():
    harmless = object_stream({5: b"<< /Type /Action /S /GoTo /D [3 0 R /Fit] >>"})
    validate_attachment(upload("plan.pdf", pdf_with_cross_reference_stream(harmless)))
    untyped = harmless.replace(b"/Type /ObjStm ", b"")
    validate_attachment(upload("plan.pdf", pdf_with_cross_reference_stream(untyped)))


def encrypted(content: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(content))
    writer.encrypt(user_password=user_password, owner_password="council-owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_that_opens_only_with_a_password_is_refused_with_a_message():
    """The sixth attack run hid an open action's script in a PDF locked with a password: the
    bytes hold nothing readable and pypdf cannot open it, so it passed; a reader who types the
    password runs it."""
    with pytest.raises(ValidationError, match="비밀번호"):
        validate_attachment(upload("plan.pdf", encrypted(pdf(script="app.alert(1)"), "1234")))
    with pytest.raises(ValidationError, match="비밀번호"):
        validate_attachment(upload("plan.pdf", encrypted(pdf(), "1234")))
    # Protected against editing only (no password to open it): read, and checked as any other.
    validate_attachment(upload("plan.pdf", encrypted(pdf(), "")))
    with pytest.raises(ValidationError, match="JavaScript"):
        validate_attachment(upload("plan.pdf", encrypted(pdf(script="app.alert(1)"), "")))


def test_an_object_stream_that_inflates_past_the_limit_is_refused(settings):
    harmless = pdf_by_hand(
        extra=[object_stream({5: b"<< /Producer (council) >>"}, padding=2 * 1024 * 1024)]
    )
    assert len(harmless) < 20 * 1024  # a few kilobytes that inflate to two megabytes
    validate_attachment(upload("plan.pdf", harmless))
    settings.ARCHIVE_MAX_EXPANDED_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="이 PDF에는"):
        validate_attachment(upload("plan.pdf", harmless))


@pytest.mark.parametrize(
    "catalog",
    [
        b"/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) "
        b"/EF << /F 4 0 R >> >>] >> >> ",
        b"/Extra << /Subtype /RichMedia >> ",
    ],
    ids=["embedded-file", "rich-media"],
)
def test_a_pdf_with_an_embedded_file_or_rich_media_is_refused(catalog):
    with pytest.raises(ValidationError, match="첨부 파일"):
        validate_attachment(upload("plan.pdf", pdf_by_hand(catalog)))


# The scripts Hancom writes into every document, which do nothing (HWPX keeps them in UTF-16).
HEADER_SCRIPT = (
    "var Documents = XHwpDocuments;\r\nvar Document = Documents.Active_XHwpDocument;\r\n"
)
SOURCE_SCRIPT = "function OnDocument_New()\r\n{\r\n\t//todo : \r\n}\r\n"
SHELL_SCRIPT = (
    SOURCE_SCRIPT + "function OnDocument_Open()\r\n{\r\n"
    '\tnew ActiveXObject("WScript.Shell").Run("calc.exe");\r\n}\r\n'
)
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(calc.exe) run\n"
PNG_IMAGE = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
# An OLE package: a program wrapped in an OLE object, run by a double-click.
OLE_PACKAGE = ole_file({"\x01Ole10Native": b"calc.exe\0C:\\calc.exe\0MZ\x90\0"})
# An OLE object of another kind (a chart), which is accepted.
OLE_CHART = ole_file({"Contents": b"chart"})


def hwpx(parts: dict[str, bytes], items: str = "", source: str = SOURCE_SCRIPT) -> bytes:
    """An OWPML package as Hancom writes it, scripts included, with the given parts."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><opf:package><opf:manifest>'
        '<opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/>'
        '<opf:item id="headersc" href="Scripts/headerScripts" '
        'media-type="application/x-javascript ;charset=utf-16"/>'
        '<opf:item id="sourcesc" href="Scripts/sourceScripts" '
        'media-type="application/x-javascript ;charset=utf-16"/>'
        f"{items}</opf:manifest></opf:package>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("Contents/content.hpf", manifest)
        archive.writestr("Contents/section0.xml", '<?xml version="1.0"?><hs:sec/>')
        archive.writestr("Scripts/headerScripts", HEADER_SCRIPT.encode("utf-16-le"))
        archive.writestr("Scripts/sourceScripts", source.encode("utf-16-le"))
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_hwpx_as_hancom_writes_it_is_accepted():
    """Hancom writes a script that does nothing into every document; images and OLE objects
    such as charts are accepted."""
    validate_attachment(
        upload(
            "plan.hwpx",
            hwpx({"BinData/image1.png": PNG_IMAGE, "BinData/ole1.ole": OLE_CHART}),
        )
    )


@pytest.mark.parametrize(
    ("parts", "items", "source"),
    [
        ({"BinData/image1.eps": EPS}, "", SHELL_SCRIPT),
        ({}, "", SHELL_SCRIPT),
        ({}, "", SOURCE_SCRIPT + '/*@cc_on new ActiveXObject("WScript.Shell").Run("calc"); @*/'),
        ({"Scripts/extra.js": b"WScript.Echo(1)"}, "", SOURCE_SCRIPT),
        ({"BinData/image1.eps": EPS}, "", SOURCE_SCRIPT),
        ({"BinData/image1.png": EPS}, "", SOURCE_SCRIPT),
        ({"BinData/image1.bmp": bytes.fromhex("c5d0d3c6") + bytes(28)}, "", SOURCE_SCRIPT),
        ({"BinData/tool.bin": b"MZ\x90\0" + bytes(60)}, "", SOURCE_SCRIPT),
        ({"BinData/ole1.ole": OLE_PACKAGE}, "", SOURCE_SCRIPT),
        (
            {"BinData/data.dat": b"WScript.Echo(1)"},
            '<opf:item id="x" href="BinData/data.dat" media-type="application/x-javascript"/>',
            SOURCE_SCRIPT,
        ),
    ],
    ids=[
        "attack-run",
        "script",
        "script-in-a-conditional-comment",
        "another-script-part",
        "eps",
        "eps-named-png",
        "eps-with-preview",
        "program",
        "ole-package",
        "script-by-its-declared-type",
    ],
)
def test_an_hwpx_with_a_script_or_embedded_code_is_refused(parts, items, source):
    """The attack run's HWPX carried a script calling WScript.Shell in `Scripts/sourceScripts`
    and an EPS image in `BinData`, and was served to everyone."""
    with pytest.raises(ValidationError, match="스크립트\\(매크로\\)"):
        validate_attachment(upload("plan.hwpx", hwpx(parts, items, source)))


def hwp_script(source: str) -> bytes:
    """HWP 5's `DefaultJScript`: header, source, pre- and post-source, then the end mark."""
    return b"".join(
        struct.pack("<I", len(text)) + text.encode("utf-16-le")
        for text in (HEADER_SCRIPT, source, "", "")
    ) + struct.pack("<I", 0xFFFFFFFF)


def hwp(source: str = SOURCE_SCRIPT, *, compressed: bool = False, **bin_data: bytes) -> bytes:
    """An HWP 5 document with its scripts and the given `BinData` streams, compressed (raw
    deflate, the FileHeader's first property bit set) or not."""

    def stored(data: bytes) -> bytes:
        if not compressed:
            return data
        deflater = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return deflater.compress(data) + deflater.flush()

    return ole_file(
        {
            "FileHeader": HWP_HEADER + struct.pack("<I", int(compressed)),
            "Scripts/DefaultJScript": stored(hwp_script(source)),
            "Scripts/JScriptVersion": stored(struct.pack("<II", 1, 0)),
            **{f"BinData/{name}": stored(data) for name, data in bin_data.items()},
        }
    )


@pytest.mark.parametrize("compressed", [False, True], ids=["stored", "compressed"])
def test_an_hwp_with_a_script_or_embedded_code_is_refused(compressed):
    """HWP 5 keeps its scripts in the `Scripts` storage and embedded files in `BinData`."""
    validate_attachment(
        upload("plan.hwp", hwp(compressed=compressed, **{"BIN0001.png": PNG_IMAGE}))
    )
    for document in [
        hwp(SHELL_SCRIPT, compressed=compressed),
        hwp(compressed=compressed, **{"BIN0001.eps": EPS}),
        hwp(compressed=compressed, **{"BIN0001.png": EPS}),
        hwp(
            compressed=compressed,
            **{"BIN0001.OLE": struct.pack("<I", len(OLE_PACKAGE)) + OLE_PACKAGE},
        ),
        # Names in a compound file are compared without case.
        ole_file({"FileHeader": HWP_HEADER, "SCRIPTS/DefaultJScript": hwp_script(SHELL_SCRIPT)}),
    ]:
        with pytest.raises(ValidationError, match="스크립트\\(매크로\\)"):
            validate_attachment(upload("plan.hwp", document))
