"""Notifications people control: per kind, immediately, in a daily digest or not at all; a
one-click unsubscribe in every e-mail that needs no sign-in and cannot be forged."""

import datetime as dt

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outbox import services
from outbox.models import Frequency, Kind, Message, Preference
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _https_site(settings):
    settings.SITE_URL = "https://ogp.gwangju.example"


def write(person, kind=Kind.CALLS, key="event:1"):
    return services.emails_write(
        key=key,
        kind=kind,
        recipients=[person],
        template="proposals/email/call.txt",
        context={"call": {"title": f"공모 {key}"}, "event": "opened"},
    )


def prefer(person, kind, frequency):
    services.preferences_save(user=person, frequencies={kind: frequency})


def test_each_kind_goes_as_the_person_chose(db):
    person = UserFactory()
    prefer(person, Kind.CALLS, Frequency.OFF)
    prefer(person, Kind.POLLS, Frequency.DAILY)
    write(person, Kind.CALLS, "a")
    write(person, Kind.POLLS, "b")
    write(person, Kind.MY_PROPOSALS, "c")  # nothing chosen: immediately
    services.outbox_drain()
    status = dict(Message.objects.values_list("key", "status"))
    assert status == {
        f"a:{person.pk}": Message.Status.VOID,
        f"b:{person.pk}": Message.Status.HELD,
        f"c:{person.pk}": Message.Status.SENT,
    }
    assert len(mail.outbox) == 1


def test_the_digest_gathers_a_days_events_into_one_mail_a_day(db):
    person = UserFactory()
    other = UserFactory()
    prefer(person, Kind.CALLS, Frequency.DAILY)
    for n in range(3):
        write(person, Kind.CALLS, f"call:{n}")
    write(other, Kind.CALLS, "call:0")
    services.outbox_drain()
    assert len(mail.outbox) == 1  # only the other person's, at once
    mail.outbox.clear()

    assert services.digests_send() == 1
    services.outbox_drain()
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [person.email]
    assert all(f"공모 call:{n}" in digest.body for n in range(3))
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Message.objects.filter(recipient=person).values_list("status", flat=True)) == {
        Message.Status.DIGESTED,
        Message.Status.SENT,
    }
    # Later the same day: the new event waits for tomorrow's digest.
    write(person, Kind.CALLS, "call:late")
    services.outbox_drain()
    assert services.digests_send() == 0
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert services.digests_send(now=tomorrow) == 1


def test_every_e_mail_carries_a_one_click_unsubscribe(db):
    person = UserFactory(language="en")
    write(person, Kind.CALLS)
    services.outbox_drain()
    headers = mail.outbox[0].extra_headers
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://ogp.gwangju.example/en/notifications/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in mail.outbox[0].body


def unsubscribe_path(person, kind):
    url = services.unsubscribe_url(user_id=person.pk, kind=kind, language="ko")
    return url.removeprefix("https://ogp.gwangju.example")


def test_the_link_works_without_a_session_and_stops_that_kind_only(db):
    person = UserFactory()
    path = unsubscribe_path(person, Kind.CALLS)
    client = Client(enforce_csrf_checks=True)  # as a mail client posts: no cookie, no token
    page = client.get(path)
    assert page.status_code == 200 and "form" in page.content.decode()
    assert not Preference.objects.exists()  # a link scanner's GET changes nothing
    answer = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert services.preferences_of(user=person)[Kind.CALLS] == Frequency.OFF
    assert services.preferences_of(user=person)[Kind.POLLS] == Frequency.IMMEDIATELY


def test_a_forged_link_is_refused(db):
    person, victim = UserFactory(), UserFactory()
    path = unsubscribe_path(person, Kind.CALLS)
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        # The victim's link as someone without the site's key would sign it.
        signing.dumps([victim.pk, "calls"], key="guessed", salt=services.UNSUBSCRIBE_SALT),
        # Another signed value of the site (a different salt) does not pass either.
        signing.dumps([victim.pk, "calls"]),
        "W1sxLCJjYWxscyJdXQ:abc:def",
    ]
    client = Client(enforce_csrf_checks=True)
    for bad in forged:
        answer = client.post(reverse("outbox:unsubscribe", args=[bad]))
        assert answer.status_code == 400
    assert not Preference.objects.exists()


def test_meeting_notices_move_to_the_digest_but_never_off(db):
    person = UserFactory()
    with pytest.raises(ValidationError):
        prefer(person, Kind.MEETINGS, Frequency.OFF)
    Client().post(unsubscribe_path(person, Kind.MEETINGS))
    assert services.preferences_of(user=person)[Kind.MEETINGS] == Frequency.DAILY
    with pytest.raises(IntegrityError):
        Preference.objects.filter(user=person).update(frequency=Frequency.OFF)


def test_the_digest_link_stops_the_digest_but_keeps_meeting_notices(db):
    person = UserFactory()
    prefer(person, Kind.CALLS, Frequency.DAILY)
    prefer(person, Kind.MEETINGS, Frequency.DAILY)
    Client().post(unsubscribe_path(person, Kind.DIGEST))
    chosen = services.preferences_of(user=person)
    assert chosen[Kind.CALLS] == Frequency.OFF and chosen[Kind.MEETINGS] == Frequency.DAILY


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_the_preferences_page(as_role, role, citizen):
    client = as_role(role)
    url = reverse("outbox:preferences")
    page = client.get(url)
    if role == "anonymous":
        assert page.status_code == 302 and "login" in page.url
        return
    html = page.content.decode()
    assert "즉시" in html and "하루" in html
    assert str(Kind.STAFF.label) not in html  # the secretariat's alerts are for staff only
    choices = {kind: Frequency.IMMEDIATELY for kind in services.preferences_of(user=citizen)}
    answer = client.post(url, {**choices, Kind.REPLIES: Frequency.DAILY})
    assert answer.status_code == 302
    assert services.preferences_of(user=citizen)[Kind.REPLIES] == Frequency.DAILY
    refused = client.post(url, {**choices, Kind.MEETINGS: Frequency.OFF})
    assert refused.status_code == 200
    assert services.preferences_of(user=citizen)[Kind.MEETINGS] == Frequency.IMMEDIATELY


def test_my_participation_links_to_the_preferences(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("my_participation")).content.decode()
    assert reverse("outbox:preferences") in html


def test_meeting_notices_of_a_member_who_chose_the_digest_come_in_it(group, member, lead):
    from councils import services as councils_services
    from tests.factories import MeetingFactory

    prefer(member, Kind.MEETINGS, Frequency.DAILY)
    meeting = MeetingFactory(group=group, title="태양광 점검 회의")
    councils_services.meeting_publish(meeting=meeting)
    services.outbox_drain()
    assert [m.to for m in mail.outbox] == [[lead.email]]  # the lead chose nothing: at once
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<https://")
    mail.outbox.clear()
    assert services.digests_send() == 1
    services.outbox_drain()
    assert mail.outbox[0].to == [member.email]
    assert "태양광 점검 회의" in mail.outbox[0].body


def test_an_unsubscribe_link_hides_whose_it_is_and_expires(db, settings, monkeypatch):
    import base64
    import time

    person = UserFactory()
    path = unsubscribe_path(person, Kind.CALLS)
    token = path.rstrip("/").rsplit("/", 1)[1]
    clear = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert f"[{person.pk}".encode() not in clear and b"calls" not in clear
    settings.UNSUBSCRIBE_LINK_DAYS = 90
    later = time.time() + 91 * 24 * 3600
    monkeypatch.setattr("cryptography.fernet.time.time", lambda: later)
    assert Client().post(path).status_code == 400
    assert not Preference.objects.exists()
