"""The verification pages: each role, each method, bad input and the rate limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.verification.conftest import RESIDENTS_CSV, code_in
from verification.models import Method, ResidentEntry, Verification

PAGES = ["list", "phone", "resident"]
STAFF_PAGES = ["counter", "residents_import"]


@pytest.mark.parametrize("name", PAGES + STAFF_PAGES)
def test_visitors_sign_in_first(client, db, name):
    response = client.get(reverse(f"verification:{name}"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_refuse_citizens(client, citizen, name):
    client.force_login(citizen)
    assert client.get(reverse(f"verification:{name}")).status_code == 403
    assert client.post(reverse(f"verification:{name}"), {}).status_code == 403


def test_sms_code_journey_with_the_console_backend(client, citizen, capsys):
    client.force_login(citizen)
    url = reverse("verification:phone")
    page = client.post(url, {"number": "010-2222-3333"}).content.decode()
    assert 'id="code-form"' in page
    code = code_in(capsys.readouterr().out)
    response = client.post(url, {"code": code, "next": "/ask/"})
    assert response.status_code == 302 and response["Location"] == "/ask/"
    assert Verification.objects.get(user=citizen).method == Method.PHONE


def test_a_wrong_or_malformed_code_is_a_message(client, citizen, sms):
    client.force_login(citizen)
    url = reverse("verification:phone")
    client.post(url, {"number": "010-2222-3333"})
    code = code_in(sms[-1][1])
    wrong = "123456" if code != "123456" else "654321"
    assert "보낸 번호가 아닙니다" in client.post(url, {"code": wrong}, follow=True).content.decode()
    assert client.post(url, {"code": "12"}).status_code == 400
    assert "국내 휴대전화 번호" in client.post(url, {"number": "hello"}).content.decode()
    assert not Verification.objects.exists()


def test_an_outside_next_is_ignored(client, citizen, sms):
    client.force_login(citizen)
    url = reverse("verification:phone")
    client.post(url, {"number": "010-2222-3333"})
    response = client.post(url, {"code": code_in(sms[-1][1]), "next": "https://evil.example/"})
    assert response["Location"] == reverse("verification:list")


def test_code_attempts_are_rate_limited(client, citizen, sms, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "verify": "3/m/user,30/m/ip"}
    client.force_login(citizen)
    url = reverse("verification:phone")
    statuses = [client.post(url, {"code": "000000"}).status_code for _ in range(4)]
    assert statuses[-1] == 429


def test_resident_page(client, citizen, residents):
    client.force_login(citizen)
    url = reverse("verification:resident")
    refused = client.post(url, {"name": "김민지", "birth_date": "1990-03-02", "district": "buk"})
    assert refused.status_code == 400 and "본인 확인을 할 수 없습니다" in refused.content.decode()
    done = client.post(url, {"name": "김민지", "birth_date": "1990-03-01", "district": "buk"})
    assert done.status_code == 302
    listed = client.get(reverse("verification:list")).content.decode()
    assert "광주 주민 (주민 명부)" in listed


def test_staff_import_the_residents_list(client, secretariat):
    client.force_login(secretariat)
    url = reverse("verification:residents_import")
    upload = SimpleUploadedFile("residents.csv", RESIDENTS_CSV, content_type="text/csv")
    assert client.post(url, {"file": upload}).status_code == 302
    assert ResidentEntry.objects.count() == 3
    bad = SimpleUploadedFile("residents.csv", b"nothing", content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and ResidentEntry.objects.count() == 3


def test_staff_verify_at_the_counter(client, secretariat, citizen):
    client.force_login(secretariat)
    url = reverse("verification:counter")
    data = {"account": citizen.email, "name": "정하늘", "birth_date": "1980-01-01"}
    data |= {"district": "dong", "id_checked": "on"}
    assert client.post(url, data).status_code == 302
    verification = Verification.objects.get(user=citizen)
    assert verification.method == Method.IN_PERSON and verification.verified_by == secretariat
    other = UserFactory()
    taken = client.post(url, {**data, "account": other.username}, follow=True)
    assert "다른 계정" in taken.content.decode()
    unknown = client.post(url, {**data, "account": "nobody@example.org"})
    assert unknown.status_code == 400


def test_the_resident_page_does_not_tell_whether_a_resident_has_an_account(client, residents):
    """The attack run verified 홍길동 with one account, then asked with a second: "already used
    by another account", while an unlisted person got "not on the list". Both now get the same
    answer."""
    person = {"name": "김민지", "birth_date": "1990-03-01", "district": "buk"}
    owner = UserFactory()
    client.force_login(owner)
    client.post(reverse("verification:resident"), person)
    assert Verification.objects.filter(user=owner, method=Method.RESIDENT).exists()

    client.force_login(UserFactory())
    taken = client.post(reverse("verification:resident"), person, follow=True).content.decode()
    unknown = {**person, "name": "김민준"}
    absent = client.post(reverse("verification:resident"), unknown, follow=True).content.decode()
    assert "이미 다른 계정" not in taken and "본인 확인을 할 수 없습니다" in taken
    assert "본인 확인을 할 수 없습니다" in absent
