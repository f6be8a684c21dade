"""Role × view matrix for the action plan's pages."""

import pytest
from django.urls import reverse

from tests.factories import PNG

ROLES = ["anonymous", "unverified", "citizen", "lead", "secretariat"]


@pytest.mark.parametrize("role", ROLES)
def test_public_pages(as_role, role, commitment):
    client = as_role(role)
    for url in (commitment.plan.get_absolute_url(), commitment.get_absolute_url()):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_filing_an_inspection(as_role, role, commitment, lead):
    client = as_role(role)
    url = reverse("proposals:inspection_create", args=[commitment.pk])
    response = client.get(url)
    allowed = role in {"lead", "secretariat"}
    if allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert "/accounts/login/" in response.url
    else:
        assert response.status_code == 403
    group = commitment.working_groups.get()
    form = {"group": group.pk, "date": "2026-11-20", "place": "광산구", "findings": "점검함"}
    client.post(url, form)
    assert commitment.inspections.exists() == allowed


def test_a_lead_files_an_inspection_with_a_photo(client, commitment, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lead)
    group = commitment.working_groups.get()
    response = client.post(
        reverse("proposals:inspection_create", args=[commitment.pk]),
        {
            "group": group.pk,
            "date": "2026-11-20",
            "place": "광산구 햇빛발전소",
            "findings": "패널 청소가 필요함",
            "photo": SimpleUploadedFile("p.png", PNG),
            "caption": "패널",
        },
    )
    assert response.status_code == 302
    report = commitment.inspections.get()
    assert report.photos.get().content_type == "image/png"
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "패널 청소가 필요함" in page
    assert client.get(reverse("proposals:photo", args=[report.photos.get().pk])).status_code == 200
