"""Each method of verification, its uniqueness across accounts, and requirements."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from tests.factories import CallFactory, PollFactory, UserFactory
from tests.verification.conftest import KIM, LEE, RESIDENTS_CSV, code_in
from verification import services
from verification.models import (
    Method,
    PhoneCode,
    ResidentEntry,
    Verification,
    person_key,
)
from verification.sms import HttpGateway, SmsError


def test_the_residents_list_keeps_only_keyed_hashes(residents):
    assert residents == 3
    stored = " ".join(ResidentEntry.objects.values_list("key", flat=True))
    assert "김민지" not in stored and "1990" not in stored
    assert ResidentEntry.objects.filter(key=person_key(**KIM)).exists()


def test_a_reimport_replaces_the_list(residents):
    services.residents_import(data="name,birth_date,district\n최유나,1988-01-02,서구\n".encode())
    assert ResidentEntry.objects.count() == 1
    assert not ResidentEntry.objects.filter(key=person_key(**KIM)).exists()


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe",
        b"name,birth\n",
        "name,birth_date,district\n김민지,1990-13-01,북구\n".encode(),
        "name,birth_date,district\n김민지,1990-01-01,부산\n".encode(),
        b"name,birth_date,district\n",
    ],
)
def test_a_bad_file_is_refused_and_the_list_stays(residents, data):
    with pytest.raises(ValidationError):
        services.residents_import(data=data)
    assert ResidentEntry.objects.count() == 3


def test_a_resident_verifies_with_the_same_details_written_differently(residents, citizen):
    verification = services.resident_verify(
        user=citizen, name=" 김 민지 ", birth_date=KIM["birth_date"], district="buk"
    )
    assert verification.method == Method.RESIDENT
    assert verification.birth_date == KIM["birth_date"]
    assert verification.expires_at > timezone.now() + dt.timedelta(days=300)


def test_details_not_on_the_list_are_refused(residents, citizen):
    with pytest.raises(ValidationError, match="본인 확인을 할 수 없습니다"):
        services.resident_verify(user=citizen, **{**KIM, "district": "seo"})
    assert not Verification.objects.exists()


def test_one_census_entry_verifies_one_account(residents, citizen):
    services.resident_verify(user=citizen, **KIM)
    other = UserFactory()
    # Online, the same answer as for details not on the list (nobody learns who has an account).
    with pytest.raises(ValidationError, match="본인 확인을 할 수 없습니다"):
        services.resident_verify(user=other, **KIM)
    # nor at the counter, where the secretariat is told why: the key is the same
    with pytest.raises(ValidationError, match="다른 계정"):
        services.verification_in_person(user=other, **KIM, by=citizen)


def test_phone_code_verifies_once_and_the_number_is_not_kept(citizen, sms):
    services.phone_code_send(user=citizen, number="010-1234-5678")
    ((to, text),) = sms
    assert to == "01012345678"
    assert "01012345678" not in PhoneCode.objects.get().phone_key
    services.phone_code_confirm(user=citizen, code=code_in(text))
    verification = Verification.objects.get(user=citizen)
    assert verification.method == Method.PHONE
    assert not PhoneCode.objects.exists()


def test_a_phone_verifies_one_account(citizen, sms):
    """The second account is told nothing; the number's owner hears of it by text message."""
    services.phone_code_send(user=citizen, number="01012345678")
    services.phone_code_confirm(user=citizen, code=code_in(sms[-1][1]))
    other = UserFactory()
    services.phone_code_send(user=other, number="+82 10-1234-5678")
    to, text = sms[-1]
    assert to == "01012345678" and "다른 포털 계정" in text
    assert not any(word.isdigit() and len(word) == 6 for word in text.split())
    for guess in ["000000", "123456"]:
        with pytest.raises(ValidationError):
            services.phone_code_confirm(user=other, code=guess)
    assert list(Verification.objects.values_list("user", flat=True)) == [citizen.pk]


def test_an_expired_phone_verification_gives_way_to_the_numbers_new_holder(citizen, sms):
    """Mobile numbers are reassigned: an expired verification does not keep its number."""
    services.phone_code_send(user=citizen, number="01012345678")
    services.phone_code_confirm(user=citizen, code=code_in(sms[-1][1]))
    Verification.objects.filter(user=citizen).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    other = UserFactory()
    services.phone_code_send(user=other, number="010-1234-5678")
    services.phone_code_confirm(user=other, code=code_in(sms[-1][1]))
    assert list(Verification.objects.values_list("user", flat=True)) == [other.pk]


def test_codes_expire_and_wrong_tries_are_limited(citizen, sms, settings):
    services.phone_code_send(user=citizen, number="01012345678")
    code = code_in(sms[-1][1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.VERIFICATION_CODE_ATTEMPTS):
        with pytest.raises(ValidationError, match="보낸 번호가 아닙니다"):
            services.phone_code_confirm(user=citizen, code=wrong)
    with pytest.raises(ValidationError, match="너무 많이"):
        services.phone_code_confirm(user=citizen, code=code)
    services.phone_code_send(user=citizen, number="01012345678")
    later = timezone.now() + dt.timedelta(minutes=settings.VERIFICATION_CODE_MINUTES + 1)
    with pytest.raises(ValidationError, match="만료"):
        services.phone_code_confirm(user=citizen, code=code_in(sms[-1][1]), now=later)
    assert not Verification.objects.exists()


@pytest.mark.parametrize("number", ["02-123-4567", "1234", "010-12-34"])
def test_only_korean_mobile_numbers(citizen, sms, number):
    with pytest.raises(ValidationError, match="휴대전화"):
        services.phone_code_send(user=citizen, number=number)
    assert sms == []


class FakeProvider(BaseHTTPRequestHandler):
    received: list[dict] = []
    answer = {"result_code": "1", "message": "success"}

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        FakeProvider.received.append({k: v[0] for k, v in parse_qs(body).items()})
        payload = json.dumps(FakeProvider.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeProvider.received = []
    FakeProvider.answer = {"result_code": "1", "message": "success"}
    settings.SMS_BACKEND = "verification.sms.HttpGateway"
    settings.SMS_HTTP = {
        "url": f"http://127.0.0.1:{server.server_port}/send/",
        "key": "api-key",
        "user_id": "gwangju-ogp",
        "sender": "0621234567",
    }
    yield FakeProvider
    server.shutdown()
    server.server_close()


def test_the_http_gateway_talks_to_the_provider(citizen, provider):
    services.phone_code_send(user=citizen, number="010-9876-5432")
    (sent,) = provider.received
    assert sent["key"] == "api-key" and sent["user_id"] == "gwangju-ogp"
    assert sent["sender"] == "0621234567" and sent["receiver"] == "01098765432"
    services.phone_code_confirm(user=citizen, code=code_in(sent["msg"]))
    assert Verification.objects.filter(user=citizen, method=Method.PHONE).exists()


def test_a_provider_refusal_is_a_message_and_no_code_waits(citizen, provider):
    provider.answer = {"result_code": "-101", "message": "인증오류"}
    with pytest.raises(ValidationError, match="보내지 못했습니다"):
        services.phone_code_send(user=citizen, number="010-9876-5432")
    assert not PhoneCode.objects.exists()
    with pytest.raises(SmsError):
        HttpGateway().send(to="01098765432", text="x")


def test_in_person_verification_is_logged_with_the_staff(residents, citizen, secretariat):
    verification = services.verification_in_person(user=citizen, **LEE, by=secretariat)
    assert verification.verified_by == secretariat
    entry = AuditEntry.objects.get_for_object(verification).get()
    assert entry.changes["method"][1] == "in_person"


def test_moving_a_verification_is_logged(residents, citizen):
    verification = services.resident_verify(user=citizen, **KIM)
    other = UserFactory()
    services.verification_move(verification=verification, to_user=other)
    assert Verification.objects.get().user == other
    moved = AuditEntry.objects.get_for_object(verification).order_by("pk").last()
    assert [str(pk) for pk in moved.changes["user"]] == [str(citizen.pk), str(other.pk)]
    with pytest.raises(ValidationError):
        services.verification_move(verification=verification, to_user=other)


# Requirements ------------------------------------------------------------------------------


def test_email_requirement(citizen):
    poll = PollFactory()
    assert poll.requirement_refusal(citizen) is None
    assert "이메일" in poll.requirement_refusal(UserFactory(verified=False))


def test_residence_requirement_met_by_the_list_or_the_counter(residents, citizen, secretariat):
    poll = PollFactory(required_verification=Method.RESIDENT)
    assert "광주 주민" in poll.requirement_refusal(citizen)
    services.resident_verify(user=citizen, **KIM)
    assert poll.requirement_refusal(citizen) is None
    other = UserFactory()
    services.verification_in_person(user=other, **LEE, by=secretariat)
    assert poll.requirement_refusal(other) is None


def test_an_expired_verification_does_not_count(residents, citizen):
    poll = PollFactory(required_verification=Method.RESIDENT)
    services.resident_verify(user=citizen, **KIM)
    later = timezone.now() + dt.timedelta(days=400)
    assert poll.requirement_refusal(citizen, now=later) is not None


def test_phone_requirement(citizen, sms):
    call = CallFactory(required_verification=Method.PHONE)
    assert call.requirement_refusal(citizen) is not None
    services.phone_code_send(user=citizen, number="01012345678")
    services.phone_code_confirm(user=citizen, code=code_in(sms[-1][1]))
    assert call.requirement_refusal(citizen) is None


def test_social_sign_in_counts_where_the_secretariat_enables_it(citizen, settings):
    poll = PollFactory(required_verification=Method.SOCIAL)
    SocialAccount.objects.create(user=citizen, provider="kakao", uid="123")
    settings.VERIFICATION_SOCIAL_PROVIDERS = []
    assert poll.requirement_refusal(citizen) is not None
    settings.VERIFICATION_SOCIAL_PROVIDERS = ["kakao"]
    assert poll.requirement_refusal(citizen) is None


def test_minimum_age(residents, citizen):
    poll = PollFactory(required_verification=Method.EMAIL, minimum_age=14)
    assert "나이" in poll.requirement_refusal(citizen)  # no date of birth known yet
    services.resident_verify(user=citizen, **LEE)
    today = dt.date(2026, 7, 14)
    now = timezone.make_aware(dt.datetime(2026, 7, 14, 12))
    assert today.year - LEE["birth_date"].year == 14
    assert "14세" in poll.requirement_refusal(citizen, now=now)  # a day before the birthday
    assert poll.requirement_refusal(citizen, now=now + dt.timedelta(days=1)) is None


def test_an_erased_account_frees_its_verifications(residents, citizen):
    services.resident_verify(user=citizen, **KIM)
    services.personal_data_erase(user=citizen, now=timezone.now())
    assert not Verification.objects.exists()


def test_export_names_the_methods(residents, citizen):
    services.resident_verify(user=citizen, **KIM)
    exported = services.personal_data_export(user=citizen)["verifications"]
    assert exported[0]["birth_date"] == "1990-03-01"


def test_residents_csv_is_the_demo_format():
    assert RESIDENTS_CSV.decode().startswith("name,birth_date,district")
