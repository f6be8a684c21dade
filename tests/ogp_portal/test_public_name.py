"""A public name for every person: chosen at sign-up, changeable, never from the address."""

import datetime as dt
import importlib

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from ogp_portal.adapters import SocialAccountAdapter
from outbox.models import Kind, Message
from outbox.services import emails_write
from privacy.forms import SocialSignupForm
from privacy.services import account_delete
from tests.factories import (
    CallFactory,
    GroupMembershipFactory,
    MeetingFactory,
    MinutesFactory,
    ProposalFactory,
    UserFactory,
)
from tests.ogp_portal.test_accounts import SIGN_UP

User = get_user_model()
ADDRESS = "minji.kim.1207032304@example.kr"


@pytest.fixture
def minji(db):
    return UserFactory(
        username="minji.kim.1207032304", email=ADDRESS, first_name="", display_name="햇살민지"
    )


@pytest.mark.parametrize("language,label", [("ko", "공개 이름"), ("en", "Public name")])
def test_sign_up_asks_the_public_name_and_keeps_it(client, db, language, label):
    with translation.override(language):
        url = reverse("account_signup")
    assert label in client.get(url).content.decode()
    client.post(url, {**SIGN_UP, "display_name": "  골목   지킴이 "})
    assert User.objects.get(email=SIGN_UP["email"]).display_name == "골목 지킴이"


def test_sign_up_refuses_an_address_as_the_name_and_a_missing_one(client, db):
    answer = client.post(reverse("account_signup"), {**SIGN_UP, "display_name": ADDRESS})
    assert "@" in answer.content.decode() and "이메일 주소가 아닌" in answer.content.decode()
    answer = client.post(reverse("account_signup"), {**SIGN_UP, "display_name": ""})
    assert answer.status_code == 200
    assert not User.objects.filter(email=SIGN_UP["email"]).exists()


@pytest.mark.parametrize(
    "name",
    # the second attack run: the blank braille cell, combining marks alone, a variation selector
    ["\u202e\u200b", "\u3164", "\u00a0\u2060", "\u2800\u2800", "\u034f", "\u17b4\u17b5", "\ufe0f"],
)
def test_a_name_that_shows_nothing_is_refused_with_a_message(client, db, name):
    """The attack run signed up as U+202E U+200B: its comments showed an invisible author."""
    answer = client.post(reverse("account_signup"), {**SIGN_UP, "display_name": name})
    assert "화면에 보이는 글자" in answer.content.decode()
    assert not User.objects.filter(email=SIGN_UP["email"]).exists()


def test_bidirectional_controls_are_taken_out_of_a_name(client, db):
    client.post(reverse("account_signup"), {**SIGN_UP, "display_name": "민지\u202e의 정원"})
    assert User.objects.get(email=SIGN_UP["email"]).display_name == "민지의 정원"


def test_social_sign_up_prefills_the_name_the_provider_gave(db):
    account = SocialAccount(provider="kakao", uid="42", extra_data={})
    sociallogin = SocialLogin(user=User(), account=account)
    request = RequestFactory().get("/")
    SocialAccountAdapter().populate_user(
        request, sociallogin, {"email": "k@example.org", "username": "카카오민지"}
    )
    assert sociallogin.user.display_name == "카카오민지"
    form = SocialSignupForm(sociallogin=sociallogin)
    assert form.fields["display_name"].initial == "카카오민지"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_name_is_changed_on_its_own_page_with_a_clear_answer(client, minji, language):
    client.force_login(minji)
    with translation.override(language):
        url = reverse("account_public_name")
    page = client.get(url).content.decode()
    assert 'value="햇살민지"' in page
    answer = client.post(url, {"display_name": "김민지"}, follow=True).content.decode()
    assert {"ko": "공개 이름이 이제", "en": "Your public name is now"}[language] in answer
    minji.refresh_from_db()
    assert minji.display_name == "김민지"


# Done when: no page or e-mail shows a name derived from an e-mail address.


def test_pages_and_e_mails_show_the_chosen_name_never_the_address(client, minji, group, lead):
    proposal = ProposalFactory(author=minji, call=CallFactory(), title="골목길 가로등")
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "햇살민지" in page and "minji.kim" not in page

    GroupMembershipFactory(group=group, user=minji)
    meeting = MeetingFactory(
        group=group,
        starts_at=timezone.now() - dt.timedelta(days=1),
        published_at=timezone.now() - dt.timedelta(days=3),
    )
    minutes = MinutesFactory(meeting=meeting, author=lead)
    minutes.attendees.add(minji)
    client.force_login(lead)
    form = client.get(reverse("councils:minutes_edit", args=[meeting.pk])).content.decode()
    assert "햇살민지" in form and "minji.kim" not in form  # the lead's attendee list

    emails_write(
        key="greeting",
        kind=Kind.MY_PROPOSALS,
        recipients=User.objects.filter(pk=minji.pk),
        template="proposals/email/official_answer.txt",
        context={"proposal": proposal, "url": "/"},
    )
    body = Message.objects.get(key__startswith="greeting").body
    assert "햇살민지 님" in body and "minji.kim" not in body.split("\n\n")[0]


def test_a_deleted_account_shows_as_former_member(client, minji):
    proposal = ProposalFactory(author=minji, call=CallFactory())
    account_delete(user=minji)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "탈퇴한 회원" in page and "햇살민지" not in page


def test_the_migration_names_existing_accounts_without_their_address(db):
    named = UserFactory(first_name="민지", last_name="김", display_name="")
    unnamed = UserFactory(username="minji.kim.99", first_name="", display_name="")
    migration = importlib.import_module("ogp_portal.migrations.0009_public_name")
    migration.name_every_account(apps, None)
    named.refresh_from_db()
    unnamed.refresh_from_db()
    assert named.display_name == "민지 김"
    assert unnamed.display_name == f"회원 {unnamed.pk}" and "minji" not in unnamed.display_name
