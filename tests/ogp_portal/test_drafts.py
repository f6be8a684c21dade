"""A form sent after the session ended is kept through signing in again, then comes back."""

from django.urls import reverse

from councils import services as councils
from councils.models import MinutesComment
from proposals.models import Proposal
from tests.factories import CallFactory, MinutesFactory

PASSWORD = "a-long-test-password"


def _sign_in_again(client, person, next_url: str):
    return client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD, "next": next_url},
    )


def test_a_proposal_typed_while_the_session_ended_comes_back_after_signing_in(client, citizen):
    call = CallFactory()
    url = reverse("proposals:proposal_create", args=[call.slug])
    client.force_login(citizen)
    client.get(url)
    client.logout()  # the session ends while the person types

    answer = client.post(
        url,
        {
            "title": "마을 태양광 협동조합",
            "problem": "긴 설명" * 200,
            "solution": "시민 출자",
            "submission": "00000000-0000-0000-0000-000000000001",
            "csrfmiddlewaretoken": "x",
        },
    )
    assert answer.status_code == 302 and reverse("account_login") in answer["Location"]
    assert not Proposal.objects.exists()

    assert _sign_in_again(client, citizen, url)["Location"] == url
    page = client.get(url)
    form = page.context["form"]
    assert form["title"].value() == "마을 태양광 협동조합"
    assert form["problem"].value() == "긴 설명" * 200
    assert "submission" not in form.initial  # a fresh one-time token, not the old one
    assert "작성하신 내용을 양식에 되살렸습니다" in page.content.decode()
    # Once: opening the form again starts empty.
    assert not client.get(url).context["form"]["title"].value()


def test_a_comment_typed_while_the_session_ended_comes_back_on_the_minutes(
    client, group, lead, member, django_capture_on_commit_callbacks
):
    minutes = MinutesFactory(meeting__group=group, author=lead)
    minutes.attendees.add(member)
    councils.minutes_advance(minutes=minutes)
    url = reverse("councils:minutes_comment", args=[minutes.meeting_id])

    answer = client.post(url, {"body": "2번 안건 표현을 고쳐 주세요"})
    page_url = reverse("councils:meeting_detail", args=[minutes.meeting_id])
    assert reverse("account_login") in answer["Location"]

    assert _sign_in_again(client, member, page_url)["Location"] == page_url
    page = client.get(page_url)
    assert page.context["comment_form"]["body"].value() == "2번 안건 표현을 고쳐 주세요"
    assert not MinutesComment.objects.exists()


def test_a_session_keeps_a_few_drafts_of_bounded_size(client, db):
    calls = [CallFactory() for _ in range(5)]
    urls = [reverse("proposals:proposal_create", args=[call.slug]) for call in calls]
    for url in urls:
        client.post(url, {"title": url})
    client.post(urls[0], {"title": "x", "problem": "가" * 400_000})  # too big: not kept
    drafts = client.session["drafts"]
    assert list(drafts) == urls[2:]
    assert all(draft["title"] == url for url, draft in drafts.items())
