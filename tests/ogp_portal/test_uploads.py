"""Uploads: typed by content, stored under random names, served only through checked views."""

import io
import re
from importlib import import_module

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.models import Document, DocumentAttachment, Minutes, MinutesAttachment
from ogp_portal.uploads import (
    NAME_MAX_LENGTH,
    sniff_content_type,
)
from tests.councils.conftest import minutes_admin_form
from tests.factories import (
    HWP,
    HWPX,
    OLE_NOT_HWP,
    PDF,
    PNG,
    DocumentFactory,
    MeetingFactory,
    MinutesFactory,
    WorkingGroupFactory,
    hwpx_file,
    pdf_attachment,
)

RANDOM_NAME = r"minutes/\d{4}/[0-9a-f]{32}\.%s"


@pytest.fixture
def minutes(group, lead):
    return MinutesFactory(meeting__group=group, author=lead)


def attach(client, minutes, name: str, content: bytes):
    return client.post(
        reverse("councils:attachment_create", args=[minutes.meeting_id]),
        {"title": "자료", "file": SimpleUploadedFile(name, content)},
    )


def download(client, attachment):
    return client.get(attachment.get_absolute_url())


def test_a_png_named_html_is_stored_and_served_as_png(client, minutes, lead):
    client.force_login(lead)
    assert attach(client, minutes, "looks.html", PNG).status_code == 302
    attachment = minutes.attachments.get()
    assert re.fullmatch(RANDOM_NAME % "png", attachment.file.name)
    assert (attachment.content_type, attachment.original_name) == ("image/png", "looks.html")
    response = download(client, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="looks.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_korean_name_is_kept_and_sent_as_rfc_5987(client, minutes, lead):
    client.force_login(lead)
    attach(client, minutes, "회의 자료.pdf", PDF)
    attachment = minutes.attachments.get()
    assert attachment.original_name == "회의 자료.pdf"
    assert re.fullmatch(RANDOM_NAME % "pdf", attachment.file.name)
    disposition = download(client, attachment)["Content-Disposition"]
    assert disposition == "attachment; filename*=utf-8''%ED%9A%8C%EC%9D%98%20%EC%9E%90%EB%A3%8C.pdf"


def test_two_uploads_of_the_same_name_get_different_names(client, minutes, lead):
    client.force_login(lead)
    attach(client, minutes, "a.pdf", PDF)
    attach(client, minutes, "a.pdf", PDF)
    first, second = minutes.attachments.order_by("pk")
    assert first.file.name != second.file.name


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("plan.hwp", HWP, "application/x-hwp"),
        ("plan.hwpx", HWPX, "application/hwp+zip"),
        ("plan.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("plan.hwp", OLE_NOT_HWP, None),  # a compound file of another kind (Word, Excel …)
        ("plan.hwp", HWP[:700], None),  # a damaged one
        ("plan.hwp", b"HWP Document File" + bytes(100), None),  # the signature, no structure
        ("plan.hwpx", hwpx_file(b"application/epub+zip"), None),  # another zip package
        ("plan.hwpx", b"PK\x03\x04 not a zip", None),
        ("page.html", b"<script>alert(1)</script>", None),
    ],
)
def test_the_type_is_read_from_the_content(name, content, expected, client, minutes, lead):
    assert sniff_content_type(io.BytesIO(content)) == expected
    client.force_login(lead)
    response = attach(client, minutes, name, content)
    assert minutes.attachments.exists() == (expected is not None)
    if expected is None:
        assert response.status_code == 200
        assert (
            "PDF, HWP, HWPX 문서와 이미지(PNG, JPEG, GIF, WebP)만 올릴 수 있습니다."
            in response.content.decode()
        )
    else:
        attachment = minutes.attachments.get()
        assert attachment.content_type == expected
        assert download(client, attachment)["Content-Type"] == expected


@pytest.mark.parametrize(
    "name, message",
    [
        ("가" * (NAME_MAX_LENGTH - 3) + ".pdf", "파일 이름이 201자입니다. 200자까지 허용됩니다"),
        # Django's upload handler cuts names to 255 characters before any check.
        ("a" * 300 + ".pdf", "파일 이름이 255자입니다. 200자까지 허용됩니다"),
    ],
)
def test_a_name_over_the_limit_is_refused_with_a_message(client, minutes, lead, name, message):
    client.force_login(lead)
    response = attach(client, minutes, name, PDF)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not minutes.attachments.exists()


def test_a_name_at_the_limit_is_kept(client, minutes, lead):
    client.force_login(lead)
    name = "가" * (NAME_MAX_LENGTH - 4) + ".pdf"
    assert attach(client, minutes, name, PDF).status_code == 302
    assert minutes.attachments.get().original_name == name


def test_the_english_site_refuses_in_english(client, minutes, lead):
    client.force_login(lead)
    response = client.post(
        "/en" + reverse("councils:attachment_create", args=[minutes.meeting_id]),
        {"title": "x", "file": SimpleUploadedFile("a" * 300 + ".pdf", PDF)},
    )
    assert "The file name is 255 characters long; at most 200 are allowed" in (
        response.content.decode()
    )


@pytest.mark.parametrize("name", ["", "..", "a/b.pdf", "..\\b.pdf", "\x00\x01"])
def test_empty_or_path_like_names_are_refused_by_the_service(minutes, name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.minutes_attach(minutes=minutes, title="x", upload=ContentFile(PDF, name=name))
    assert not minutes.attachments.exists()


@pytest.mark.parametrize("role", ["anonymous", "citizen", "member", "other_lead"])
def test_a_file_of_another_groups_draft_minutes_is_refused(as_role, role, minutes):
    services.minutes_attach(minutes=minutes, title="초안", upload=SimpleUploadedFile("a.pdf", PDF))
    attachment = minutes.attachments.get()
    response = download(as_role(role), attachment)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == 403
    assert not hasattr(response, "streaming_content")


@pytest.fixture
def other_lead(council):
    return WorkingGroupFactory(council=council, slug="transport").lead.user


def test_media_is_not_served_even_in_debug(client, settings, minutes):
    settings.DEBUG = True
    services.minutes_attach(minutes=minutes, title="초안", upload=SimpleUploadedFile("a.pdf", PDF))
    name = minutes.attachments.get().file.name
    assert client.get(f"/media/{name}").status_code == 404


def test_files_of_a_document_that_is_not_public_reach_the_secretariat_only(
    client, council, citizen, secretariat
):
    document = DocumentFactory(council=council, disclosure=Document.Disclosure.NOT_PUBLIC)
    attachment = pdf_attachment(DocumentAttachment, document=document, title="x")
    assert download(client, attachment).status_code == 404
    client.force_login(citizen)
    assert download(client, attachment).status_code == 404
    client.force_login(secretariat)
    assert download(client, attachment).status_code == 200


def test_a_download_costs_one_query_for_a_visitor(client, db, council, django_assert_num_queries):
    attachment = pdf_attachment(
        DocumentAttachment, document=DocumentFactory(council=council), title="x"
    )
    with django_assert_num_queries(1):
        response = download(client, attachment)
    assert b"".join(response.streaming_content) == PDF


# The admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, stored, message",
    [
        ("x.html", PNG, "png", None),
        ("계획.hwpx", HWPX, "hwpx", None),
        ("계획.hwp", HWP, "hwp", None),
        ("계획.hwp", OLE_NOT_HWP, None, "PDF, HWP, HWPX 문서와 이미지"),
        ("x" * 250 + ".pdf", PDF, None, "파일 이름이 254자입니다"),
    ],
)
def test_admin_inline_uploads_go_through_the_same_checks(
    staff_client, db, name, content, stored, message
):
    minutes = MinutesFactory()
    url = reverse("admin:councils_minutes_change", args=[minutes.pk])
    response = staff_client.post(url, minutes_admin_form(minutes, name, content))
    if stored is None:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not minutes.attachments.exists()
        return
    assert response.status_code == 302
    attachment = minutes.attachments.get()
    assert re.fullmatch(RANDOM_NAME % stored, attachment.file.name)
    assert attachment.original_name == name
    # The change form links the file to the checked view, not to MEDIA_URL.
    page = staff_client.get(url).content.decode()
    assert f'href="{attachment.get_absolute_url()}"' in page
    assert "/media/" not in page


# Files stored before -------------------------------------------------------------------------

# The migration that moved them carries its own copy of the checks.
stored_files_rename = import_module(
    "councils.migrations.0005_stored_under_random_names"
).stored_files_rename


def test_files_stored_under_their_given_names_move_to_random_names(db):
    minutes = MinutesFactory(status=Minutes.Status.PUBLISHED, published_at=timezone.now())
    old_name = default_storage.save(f"minutes/{minutes.pk}/looks.html", ContentFile(PNG))
    MinutesAttachment.objects.bulk_create(
        [
            MinutesAttachment(
                minutes=minutes, title="a", file=old_name, content_type="image/png", size=0
            ),
            MinutesAttachment(
                minutes=minutes, title="b", file="minutes/1/gone.pdf", content_type="x", size=0
            ),
        ]
    )
    assert stored_files_rename(model=MinutesAttachment, field="file", folder="minutes") == 1
    moved, missing = minutes.attachments.order_by("title")
    assert re.fullmatch(RANDOM_NAME % "png", moved.file.name)
    assert (moved.original_name, moved.content_type, moved.size) == (
        "looks.html",
        "image/png",
        len(PNG),
    )
    assert default_storage.exists(moved.file.name) and not default_storage.exists(old_name)
    assert (missing.original_name, missing.content_type) == ("gone.pdf", "application/octet-stream")
    assert stored_files_rename(model=MinutesAttachment, field="file", folder="minutes") == 0


@pytest.mark.django_db(transaction=True)
def test_the_migrations_move_the_files_already_stored():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    minutes = MinutesFactory()
    services.minutes_attach(minutes=minutes, title="a", upload=ContentFile(PNG, name="x.png"))
    old_name = default_storage.save(f"minutes/{minutes.pk}/looks.html", ContentFile(PNG))
    MinutesAttachment.objects.update(file=old_name, original_name="")
    before = [
        ("councils", "0002_notices_in_the_outbox"),
        ("proposals", "0003_transition_changes_status"),
    ]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    executor.loader.build_graph()
    executor.migrate(latest)

    attachment = MinutesAttachment.objects.get()
    assert re.fullmatch(RANDOM_NAME % "png", attachment.file.name)
    assert attachment.original_name == "looks.html"
    assert not default_storage.exists(old_name)


def test_demo_files_are_stored_under_random_names(demo, client):
    attachments = [*MinutesAttachment.objects.all(), *DocumentAttachment.objects.all()]
    assert len(attachments) == 2
    for attachment in attachments:
        assert re.fullmatch(r"(minutes|documents)/\d{4}/[0-9a-f]{32}\.pdf", attachment.file.name)
        response = download(client, attachment)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    assert {a.original_name for a in attachments} == {
        "에너지 워킹그룹 회의 자료.pdf",
        "광주광역시 OGP 추진 협의회 구성·운영 계획.pdf",
    }


def test_a_meeting_is_not_needed_to_be_published_for_the_secretariat(client, secretariat, group):
    minutes = MinutesFactory(meeting=MeetingFactory(group=group))
    services.minutes_attach(minutes=minutes, title="x", upload=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(secretariat)
    assert download(client, minutes.attachments.get()).status_code == 200


# In Chromium ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_chromium_saves_an_html_polyglot_and_never_runs_it(page, transactional_db, screenshot):
    """A PNG that also holds a script, uploaded as `looks.html`: opened, it is only saved."""
    from councils.models import Meeting

    minutes = MinutesFactory(
        meeting__status=Meeting.Status.HELD,
        meeting__published_at=timezone.now(),
        status=Minutes.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    polyglot = PNG + b"<html><script>alert(document.domain)</script></html>"
    services.minutes_attach(
        minutes=minutes, title="자료", upload=SimpleUploadedFile("looks.html", polyglot)
    )
    attachment = minutes.attachments.get()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(reverse("councils:meeting_detail", args=[minutes.meeting_id]))
    screenshot(page, "uploads-meeting-with-attachment")
    with page.expect_download() as download:
        page.get_by_role("link", name="자료", exact=True).click()
    assert download.value.suggested_filename == "looks.png"
    assert dialogs == []
    assert page.url.endswith(f"/council/meetings/{minutes.meeting_id}/")
    assert attachment.file.name.endswith(".png")
