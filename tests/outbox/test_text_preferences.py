"""/notifications/: a mobile number the person proved, consent per text channel, and the
channel of each kind of notice."""

import pytest
from django.urls import reverse

from outbox.models import Channel, Kind, MobileContact, Preference
from tests.factories import UserFactory
from verification.models import Method, Verification, phone_key

NUMBER = "010-1234-5678"


@pytest.fixture
def person(db):
    return UserFactory()


def verified(person, number=NUMBER):
    Verification.objects.create(user=person, method=Method.PHONE, identity_key=phone_key(number))


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.post(reverse("outbox:mobile"), {"number": NUMBER, "sms": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not MobileContact.objects.exists()


def test_without_a_text_channel_only_email_is_offered(client, person):
    client.force_login(person)
    html = client.get(reverse("outbox:preferences")).content.decode()
    assert 'name="polls-channel"' not in html
    assert 'action="/notifications/mobile/"' in html


@pytest.mark.parametrize("number", [NUMBER, "010-9999-0000", "12345"])
def test_only_the_verified_number_is_taken(client, person, number):
    verified(person)
    client.force_login(person)
    response = client.post(reverse("outbox:mobile"), {"number": number, "sms": "on"})
    if number == NUMBER:
        assert response.status_code == 302
        contact = MobileContact.objects.get(user=person)
        assert contact.number == "01012345678" and contact.sms_consent_at
        assert contact.alimtalk_consent_at is None
    else:
        assert response.status_code == 200 and not MobileContact.objects.exists()
        assert 'role="alert"' in response.content.decode() or "form-hint-invalid" in (
            response.content.decode()
        )


def test_a_person_chooses_a_text_channel_per_kind_and_consent_withdrawn_stops_it(client, person):
    verified(person)
    client.force_login(person)
    client.post(reverse("outbox:mobile"), {"number": NUMBER, "sms": "on", "alimtalk": "on"})
    html = client.get(reverse("outbox:preferences")).content.decode()
    assert 'name="polls-channel"' in html and 'value="alimtalk"' in html
    form = {kind.value: "immediately" for kind in Kind.choosable() if kind != Kind.STAFF}
    form |= {f"{kind}-channel": "email" for kind in form}
    form |= {"polls-channel": "sms", "meetings-channel": "alimtalk"}
    assert client.post(reverse("outbox:preferences"), form).status_code == 302
    chosen = dict(Preference.objects.filter(user=person).values_list("kind", "channel"))
    assert chosen["polls"] == Channel.SMS and chosen["meetings"] == Channel.ALIMTALK
    client.post(reverse("outbox:mobile"), {"number": NUMBER, "sms": "on"})  # no more KakaoTalk
    chosen = dict(Preference.objects.filter(user=person).values_list("kind", "channel"))
    assert chosen["polls"] == Channel.SMS and chosen["meetings"] == Channel.EMAIL


def test_a_channel_not_agreed_to_is_refused(client, person):
    verified(person)
    client.force_login(person)
    client.post(reverse("outbox:mobile"), {"number": NUMBER, "sms": "on"})
    form = {kind.value: "immediately" for kind in Kind.choosable() if kind != Kind.STAFF}
    form |= {f"{kind}-channel": "email" for kind in form} | {"polls-channel": "alimtalk"}
    response = client.post(reverse("outbox:preferences"), form)
    assert response.status_code == 200
    assert not Preference.objects.filter(channel=Channel.ALIMTALK).exists()
