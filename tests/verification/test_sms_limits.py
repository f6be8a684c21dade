"""Text messages cost money: limits per number, account and client, and a daily budget."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from verification import services, sms_limits
from verification.models import SmsDay, SmsSend

NUMBER = "010-1234-5678"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|data-receipts-owner="[^"]*"')


def test_the_sixth_code_to_one_number_within_an_hour_is_refused_from_any_account_and_address(
    db, sms
):
    for n in range(5):
        services.phone_code_send(user=UserFactory(), number=NUMBER, client=f"192.0.2.{n}")
    with pytest.raises(sms_limits.SmsRefused):
        services.phone_code_send(
            user=UserFactory(), number="+82 10 1234 5678", client="198.51.100.1"
        )
    assert len(sms) == 5
    # An hour later the number may be sent to again, until its daily limit.
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    services.phone_code_send(user=UserFactory(), number=NUMBER, client="198.51.100.2", now=later)
    assert len(sms) == 6


def test_codes_spent_on_a_number_do_not_silence_the_sites_notices_to_it(db, sms):
    """The third attack run spent a citizen's number's five codes an hour from one account: the
    site's meeting notice by text to that number was then refused, and failed for good."""
    for n in range(5):
        services.phone_code_send(user=UserFactory(), number=NUMBER, client=f"192.0.2.{n}")
    sms_limits.sms_allowance_take(number=NUMBER)  # a notice: neither account nor client
    with pytest.raises(sms_limits.SmsRefused):
        services.phone_code_send(user=UserFactory(), number=NUMBER, client="198.51.100.1")


@pytest.mark.parametrize(
    "notation",
    [
        "010-１２３４-５６７８",  # full-width digits, as a Korean input method types them
        "010-١٢٣٤-٥٦٧٨",  # Arabic-Indic digits
        "010-𝟏𝟐𝟑𝟒-𝟓𝟔𝟕𝟖",  # mathematical digits
    ],
)
def test_a_number_written_in_other_digits_is_the_same_number(db, sms, notation):
    """The attack run sent a sixth code within the hour to one number by writing its digits
    in other scripts: each notation counted as a new number (and was sent on as written)."""
    for n in range(5):
        services.phone_code_send(user=UserFactory(), number=NUMBER, client=f"192.0.2.{n}")
    with pytest.raises(sms_limits.SmsRefused):
        services.phone_code_send(user=UserFactory(), number=notation, client="198.51.100.1")
    assert len(sms) == 5


def test_a_number_has_a_daily_limit(db, sms, settings):
    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "number_per_hour": 100, "number_per_day": 3}
    start = timezone.now()
    for n in range(3):
        sms_limits.sms_allowance_take(number=NUMBER, now=start + dt.timedelta(hours=2 * n))
    with pytest.raises(sms_limits.SmsRefused):
        sms_limits.sms_allowance_take(number=NUMBER, now=start + dt.timedelta(hours=7))
    sms_limits.sms_allowance_take(number=NUMBER, now=start + dt.timedelta(hours=25))


def test_an_account_has_a_daily_limit_over_any_numbers(citizen, sms, settings):
    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "account_per_day": 3}
    for n in range(3):
        services.phone_code_send(user=citizen, number=f"010-1111-000{n}")
    with pytest.raises(sms_limits.SmsRefused):
        services.phone_code_send(user=citizen, number="010-1111-0009")


def test_a_client_address_has_limits_over_any_accounts_and_numbers(db, sms, settings):
    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "client_per_hour": 3}
    for n in range(3):
        services.phone_code_send(user=UserFactory(), number=f"010-2222-000{n}", client="192.0.2.9")
    with pytest.raises(sms_limits.SmsRefused):
        services.phone_code_send(user=UserFactory(), number="010-2222-0009", client="192.0.2.9")
    services.phone_code_send(user=UserFactory(), number="010-2222-0009", client="192.0.2.10")


def test_one_households_ipv6_network_is_one_client(db, sms, settings):
    """The attack runs sent 60 codes to 60 numbers from 60 addresses of one IPv6 /64, then of
        one /48 (256 households' networks), past the limit of 30 an hour per address. A /56, what
    a provider gives a household, is one client; a /48 stays 256 of them (see README)."""
    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "client_per_hour": 3}
    for n in range(3):
        services.phone_code_send(
            user=UserFactory(), number=f"010-2222-100{n}", client=f"2001:db8:7:{n + 1:x}::1"
        )
    with pytest.raises(sms_limits.SmsRefused):
        services.phone_code_send(
            user=UserFactory(), number="010-2222-1009", client="2001:db8:7:ff:ffff::99"
        )
    # The next household of the provider: another /56.
    services.phone_code_send(user=UserFactory(), number="010-2222-1009", client="2001:db8:7:100::1")


def test_codes_cannot_spend_the_budget_kept_for_notices(db, sms, settings):
    """The attack run: whoever spends the day's budget on codes stops every resident's
    notices for the day. Codes (asked for an account) use at most half of it; the second run
    deleted each account after its code, which erased the account's link."""
    from privacy.services import account_delete

    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "budget_per_day": 10}
    for n in range(5):
        asker = UserFactory()
        services.phone_code_send(user=asker, number=f"010-4444-00{n:02d}", client=f"192.0.2.{n}")
        account_delete(user=asker)
    with pytest.raises(sms_limits.SmsRefused, match="오늘"):
        services.phone_code_send(user=UserFactory(), number="010-4444-0099")
    for n in range(5):  # the notices still go, up to the whole budget
        sms_limits.sms_allowance_take(number=f"010-5555-00{n:02d}")
    with pytest.raises(sms_limits.SmsRefused):
        sms_limits.sms_allowance_take(number="010-5555-0099")


def test_the_daily_budget_stops_every_text_and_staff_hear_at_80_percent(
    db, sms, settings, secretariat, django_capture_on_commit_callbacks
):
    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "budget_per_day": 10}
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            sms_limits.sms_allowance_take(number=f"010-3333-00{n:02d}")
    from outbox.models import Message

    (alert,) = Message.objects.filter(recipient=secretariat)
    assert "80" in alert.subject and "10" in alert.body
    assert SmsDay.objects.get().alerted
    with pytest.raises(sms_limits.SmsRefused, match="오늘"):
        sms_limits.sms_allowance_take(number="010-3333-0099")
    assert SmsSend.objects.count() == 10 and SmsDay.objects.get().sent == 10
    assert mail.outbox[0].to == [secretariat.email]


def test_only_keyed_hashes_of_number_and_client_are_kept(db, sms):
    services.phone_code_send(user=UserFactory(), number=NUMBER, client="203.0.113.7")
    send = SmsSend.objects.get()
    assert "12345678" not in send.number_key and "203.0.113.7" not in send.client_key


def test_the_page_answers_the_same_for_a_used_number_and_a_fresh_one(db, sms, client):
    owner = UserFactory()
    services.phone_code_send(user=owner, number=NUMBER)
    services.phone_code_confirm(user=owner, code=code_of(sms[-1][1]))

    def answer(number):
        person = UserFactory()
        client.force_login(person)
        page = client.post(reverse("verification:phone"), {"number": number}, follow=True)
        text = CSRF.sub("", page.content.decode())
        return page.status_code, text.replace(person.username, "")

    used, fresh = answer(NUMBER), answer("010-8765-4321")
    assert used == fresh
    assert "다른 계정" not in used[1]


def code_of(text):
    return next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) == 6)


def test_a_refusal_is_a_message_on_the_page(citizen, sms, client, settings):
    settings.SMS_LIMITS = {**settings.SMS_LIMITS, "account_per_day": 1}
    client.force_login(citizen)
    client.post(reverse("verification:phone"), {"number": NUMBER})
    page = client.post(reverse("verification:phone"), {"number": "010-5555-5555"}, follow=True)
    assert page.status_code == 200 and "너무 많" in page.content.decode()
    assert len(sms) == 1
