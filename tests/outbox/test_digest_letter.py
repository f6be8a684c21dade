"""The daily digest reads as one letter: one greeting, the items, one signature, one footer."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from councils import services as councils_services
from outbox import services
from outbox.models import Frequency, Kind
from tests.factories import MeetingFactory, UserFactory
from tests.outbox.test_preferences import prefer, unsubscribe_path, write


@pytest.fixture(autouse=True)
def _https_site(settings):
    settings.SITE_URL = "https://ogp.gwangju.example"


def digest_of(person):
    mail.outbox.clear()
    assert services.digests_send() == 1
    services.outbox_drain()
    (digest,) = [m for m in mail.outbox if m.to == [person.email]]
    return digest


# Done when: a digest with three items has one greeting and one footer.


@pytest.mark.parametrize(
    "language,greeting,signature,footer",
    [
        ("ko", "님께,", "광주 OGP 추진 협의회 사무국", "종류마다"),
        ("en", "Dear ", "Gwangju OGP Council secretariat", "Choose for each kind"),
    ],
)
def test_a_digest_of_three_items_has_one_greeting_signature_and_footer(
    member, group, language, greeting, signature, footer
):
    member.language = language
    member.save(update_fields=["language"])
    prefer(member, Kind.CALLS, Frequency.DAILY)
    prefer(member, Kind.MEETINGS, Frequency.DAILY)
    write(member, Kind.CALLS, "call:1")
    write(member, Kind.CALLS, "call:2")
    councils_services.meeting_publish(meeting=MeetingFactory(group=group, title="태양광 점검"))
    services.outbox_drain()

    digest = digest_of(member)
    body = digest.body
    assert body.count("== ") == 3  # three items
    assert body.count(greeting) == 1
    assert body.count(signature) == 1
    assert body.count("\n-- \n") == 1 and body.count("/notifications/unsubscribe/") == 1
    assert (
        f"https://ogp.gwangju.example{'/en' if language == 'en' else ''}/notifications/"
        in (body.split("\n-- \n")[1])
    )
    assert footer in body.split("\n-- \n")[1]
    # the meeting item links its calendar file instead of promising an attachment
    assert "meeting.ics" in body and not digest.attachments
    assert "/meeting.ics" in body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_stored_digest_holds_no_unsubscribe_link_and_the_sent_one_does(member):
    """The third attack run opened the unsubscribe link of a digest stored in the outbox: it
    works without signing in, for 90 days, and the body was kept 180."""
    from outbox.models import Message

    prefer(member, Kind.CALLS, Frequency.DAILY)
    write(member, Kind.CALLS, "call:1")
    services.outbox_drain()
    digest = digest_of(member)
    stored = Message.objects.get(kind=Kind.DIGEST, recipient=member)
    assert "/notifications/unsubscribe/" not in stored.body + stored.html_body
    assert digest.body.count("/notifications/unsubscribe/") == 1
    assert services.UNSUBSCRIBE_MARK not in digest.body


def test_the_meeting_calendar_file_the_digest_links_is_served(client, group):
    meeting = MeetingFactory(group=group, title="태양광 점검")
    councils_services.meeting_publish(meeting=meeting)
    answer = client.get(reverse("councils:meeting_ical", args=[meeting.pk]))
    assert answer.status_code == 200 and b"BEGIN:VEVENT" in answer.content
    draft = MeetingFactory(group=group)
    assert client.get(reverse("councils:meeting_ical", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("language", ["ko", "en"])
def test_stopping_the_digest_says_exactly_what_changed(db, language):
    person = UserFactory(language=language)
    prefer(person, Kind.CALLS, Frequency.DAILY)
    prefer(person, Kind.MEETINGS, Frequency.DAILY)
    path = unsubscribe_path(person, Kind.DIGEST)
    if language == "en":
        path = "/en" + path
    asked = Client().get(path).content.decode()
    done = Client().post(path).content.decode()
    with translation.override(language):
        calls, meetings = str(Kind.CALLS.label), str(Kind.MEETINGS.label)
        stopped = _("Stopped: %(kinds)s. These no longer come by e-mail.") % {"kinds": calls}
        kept = _(
            "Still in your daily digest: %(kinds)s. These notices stop only when you leave "
            "the group."
        ) % {"kinds": meetings}
        gone = _("No more daily digest will come.")
    assert calls in asked and meetings in asked
    assert stopped in done and kept in done
    assert gone not in done  # meeting notices still come in it
