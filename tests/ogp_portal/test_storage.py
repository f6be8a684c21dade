"""Uploads on an S3-compatible object store (a real SeaweedFS): shared by every web server,
downloaded after the permission check by a short-lived signed link, 404 when lost."""

import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessRecord
from councils import services
from councils.models import Document, DocumentAttachment
from ogp_portal.storage import ObjectStorage
from tests.factories import PDF, DocumentFactory, MinutesFactory, pdf_attachment
from tests.object_store import BUCKET, SeaweedFS


@pytest.fixture
def on_object_store(settings, object_store):
    settings.STORAGES = {**settings.STORAGES, "default": object_store.storage_options()}
    return object_store


@pytest.fixture
def minutes(group, lead):
    return MinutesFactory(meeting__group=group, author=lead)


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def test_a_file_uploaded_through_one_server_is_downloaded_through_another(
    client, on_object_store, minutes, lead
):
    client.force_login(lead)
    client.post(
        reverse("councils:attachment_create", args=[minutes.meeting_id]),
        {"title": "자료", "file": SimpleUploadedFile("회의 자료.pdf", PDF)},
    )
    attachment = minutes.attachments.get()
    # Another web server: its own storage object, the same bucket.
    elsewhere = ObjectStorage(**on_object_store.storage_options()["OPTIONS"])
    assert elsewhere.exists(attachment.file.name)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(f"{on_object_store.endpoint}/{BUCKET}/minutes/")
    assert "X-Amz-Signature=" in response.url and "X-Amz-Expires=60" in response.url
    assert response["Cache-Control"] == "private, no-store"
    status, body, headers = fetch(response.url)
    assert (status, body) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''%ED%9A%8C%EC%9D%98%20%EC%9E%90%EB%A3%8C.pdf"
    )


@pytest.mark.parametrize("role", ["anonymous", "citizen", "member"])
def test_a_draft_minutes_file_gets_no_link_without_the_permission(
    as_role, role, on_object_store, minutes
):
    services.minutes_attach(minutes=minutes, title="초안", upload=SimpleUploadedFile("a.pdf", PDF))
    response = as_role(role).get(minutes.attachments.get().get_absolute_url())
    assert response.status_code in (302, 403)
    assert on_object_store.endpoint not in response.get("Location", "")


def test_the_bucket_is_private_and_a_link_works_for_its_file_and_its_time_only(
    client, settings, on_object_store, db, council
):
    attachment = pdf_attachment(
        DocumentAttachment, document=DocumentFactory(council=council), title="x"
    )
    other = pdf_attachment(DocumentAttachment, document=attachment.document, title="y")
    plain = f"{on_object_store.endpoint}/{BUCKET}/{attachment.file.name}"
    assert fetch(plain)[0] == 403
    link = client.get(attachment.get_absolute_url()).url
    assert fetch(link)[0] == 200
    assert fetch(link.replace(attachment.file.name, other.file.name))[0] == 403
    settings.STORAGES = {
        **settings.STORAGES,
        "default": on_object_store.storage_options(querystring_expire=1),
    }
    short = client.get(attachment.get_absolute_url()).url
    assert "X-Amz-Expires=1" in short
    time.sleep(2)
    assert fetch(short)[0] == 403


def test_links_name_the_store_as_browsers_reach_it(client, settings, on_object_store, council):
    public = on_object_store.endpoint.replace("127.0.0.1", "localhost")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": on_object_store.storage_options(public_endpoint_url=public),
    }
    attachment = pdf_attachment(
        DocumentAttachment, document=DocumentFactory(council=council), title="x"
    )
    link = client.get(attachment.get_absolute_url()).url
    assert urllib.parse.urlsplit(link).netloc == urllib.parse.urlsplit(public).netloc
    assert fetch(link)[:2] == (200, PDF)


def test_a_staff_download_from_the_object_store_writes_one_access_record(
    client, on_object_store, council, secretariat
):
    """The fifth attack run downloaded a file as staff from the object store: the answer, a
    redirect to the signed link, carried no attachment header and left no access record."""
    document = DocumentFactory(council=council, disclosure=Document.Disclosure.NOT_PUBLIC)
    attachment = pdf_attachment(DocumentAttachment, document=document, title="x")
    client.force_login(secretariat)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.actor) == (AccessRecord.Kind.DOWNLOAD, secretariat)


def test_a_file_missing_from_the_object_store_answers_404(
    client, on_object_store, council, secretariat
):
    document = DocumentFactory(council=council, disclosure=Document.Disclosure.NOT_PUBLIC)
    attachment = pdf_attachment(DocumentAttachment, document=document, title="x")
    on_object_store.client().delete_object(Bucket=BUCKET, Key=attachment.file.name)
    client.force_login(secretariat)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_file_missing_from_the_disk_answers_404(client, settings, tmp_path, council):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    attachment = pdf_attachment(
        DocumentAttachment, document=DocumentFactory(council=council), title="x"
    )
    assert isinstance(default_storage._wrapped, FileSystemStorage)
    default_storage.delete(attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_readyz_asks_the_object_store(client, settings, object_store):
    down = SeaweedFS().start()
    settings.STORAGES = {**settings.STORAGES, "default": down.storage_options()}
    assert client.get("/readyz").json()["checks"]["storage"]["ok"]
    down.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert not response.json()["checks"]["storage"]["ok"]
