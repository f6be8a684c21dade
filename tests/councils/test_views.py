import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from councils.models import Meeting, MemberCategory, Minutes, MinutesRevision, Notice
from tests.factories import (
    PDF,
    PNG,
    CommitteeMemberFactory,
    GroupMembershipFactory,
    MeetingFactory,
    MinutesFactory,
    UserFactory,
    WorkingGroupFactory,
)


def test_roster_groups_current_members_by_category(client, council):
    CommitteeMemberFactory(council=council, category=MemberCategory.CITY, name="주재희")
    CommitteeMemberFactory(council=council, category=MemberCategory.CIVIL_SOCIETY, name="김종필")
    CommitteeMemberFactory(council=council, name="전임위원", term_end=dt.date(2022, 1, 1))
    html = client.get(reverse("councils:committee")).content.decode()
    assert html.index("주재희") < html.index("김종필")
    assert "전임위원" not in html
    assert "2명" in html or "2" in html


def test_roster_shows_past_members_on_request(client, council):
    CommitteeMemberFactory(council=council, name="전임위원", term_end=dt.date(2022, 1, 1))
    html = client.get(reverse("councils:committee") + "?past=1").content.decode()
    assert "전임위원" in html


def test_roster_without_a_council_is_not_found(client, db):
    assert client.get(reverse("councils:committee")).status_code == 404


@pytest.mark.parametrize("members", [3, 30])
def test_roster_query_count_does_not_grow(client, council, members, django_assert_num_queries):
    CommitteeMemberFactory.create_batch(members, council=council)
    with django_assert_num_queries(4):
        client.get(reverse("councils:committee"))


# Working-group pages and the lead's work on the site ------------------------------------------


def local(days: int, hour: int) -> str:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def test_lead_schedules_and_publishes_a_meeting(
    client, group, lead, member, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("councils:meeting_schedule", args=[group.slug]),
            {
                "title": "햇빛발전소 점검",
                "format": "in_person",
                "starts_at": local(5, 19),
                "ends_at": local(5, 21),
                "venue": "",
                "agenda": "현장 점검 결과\n\n교육 계획\n",
                "publish": "1",
            },
        )
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert meeting.is_published and meeting.group == group and meeting.kind == "ad_hoc"
    assert [i.title for i in meeting.agenda_items.all()] == ["현장 점검 결과", "교육 계획"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, member.email])
    assert "장소미정" in mail.outbox[0].body


def test_a_meeting_that_ends_before_it_starts_is_refused_in_korean(client, group, lead):
    client.force_login(lead)
    response = client.post(
        reverse("councils:meeting_schedule", args=[group.slug]),
        {"title": "회의", "format": "online", "starts_at": local(5, 19), "ends_at": local(5, 18)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "회의 종료 시각은 시작 시각보다 늦어야 합니다." in html
    assert "온라인 회의에는 접속 링크가 필요합니다." in html
    assert 'value="회의"' in html  # nothing typed is lost
    assert not Meeting.objects.exists()


def test_changing_a_published_meeting_notifies_members(
    client, group, lead, member, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(group=group, published_at=timezone.now())
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("councils:meeting_edit", args=[meeting.pk]),
            {
                "title": meeting.title,
                "format": "in_person",
                "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
                "venue": "광주시민센터",
                "agenda": "",
            },
        )
    meeting.refresh_from_db()
    assert meeting.venue == "광주시민센터" and meeting.revision == 1
    assert Notice.objects.get(kind="changed").messages.count() == 2
    assert len(mail.outbox) == 2


def test_minutes_go_from_draft_to_published_and_are_then_only_corrected(
    client, group, lead, member
):
    meeting = MeetingFactory(
        group=group,
        starts_at=timezone.now() - dt.timedelta(days=1),
        published_at=timezone.now() - dt.timedelta(days=3),
    )
    client.force_login(lead)
    client.post(
        reverse("councils:minutes_create", args=[meeting.pk]),
        {"body": "## 논의\n- 태양광 확대", "decisions": "교육 추진", "attendees": [member.pk]},
    )
    minutes = Minutes.objects.get()
    assert list(minutes.attendees.all()) == [member]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    for status in ("circulated", "approved", "published"):
        client.post(reverse("councils:minutes_advance", args=[meeting.pk]))
        minutes.refresh_from_db()
        assert minutes.status == status
    response = client.post(reverse("councils:minutes_advance", args=[meeting.pk]), follow=True)
    assert "공개된 회의록은 정정만 할 수 있습니다." in response.content.decode()

    edit = reverse("councils:minutes_edit", args=[meeting.pk])
    response = client.post(edit, {"body": "## 논의\n- 태양광 확대 (수정)", "reason": ""})
    assert "필수 항목입니다" in response.content.decode()
    client.post(
        edit,
        {
            "body": "## 논의\n- 태양광 확대 (수정)",
            "decisions": "교육 추진",
            "reason": "오탈자 수정",
        },
    )
    revision = MinutesRevision.objects.get()
    assert (revision.reason, revision.previous_body) == ("오탈자 수정", "## 논의\n- 태양광 확대")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "오탈자 수정" in page and "태양광 확대 (수정)" in page


@pytest.mark.parametrize(
    "name, content, accepted",
    [
        ("minutes.pdf", PDF, True),
        ("photo.png", PNG, True),
        ("minutes.pdf", b"MZ\x90\x00 not really a pdf", False),
        ("page.html", b"<script>alert(1)</script>", False),
    ],
)
def test_attachments_are_checked_by_content(client, group, lead, name, content, accepted):
    minutes = MinutesFactory(meeting__group=group, author=lead)
    client.force_login(lead)
    response = client.post(
        reverse("councils:attachment_create", args=[minutes.meeting_id]),
        {"title": "자료", "file": SimpleUploadedFile(name, content)},
    )
    assert minutes.attachments.exists() == accepted
    if not accepted:
        assert "PDF, HWP, HWPX 문서와 이미지(PNG, JPEG, GIF, WebP)만 올릴 수 있습니다." in (
            response.content.decode()
        )


def test_attachments_are_size_limited(client, group, lead, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    minutes = MinutesFactory(meeting__group=group, author=lead)
    client.force_login(lead)
    response = client.post(
        reverse("councils:attachment_create", args=[minutes.meeting_id]),
        {"title": "자료", "file": SimpleUploadedFile("big.pdf", PDF + b"0" * 200)},
    )
    assert "파일이 100\xa0바이트보다 큽니다." in response.content.decode()
    assert not minutes.attachments.exists()


def test_committee_page_tracks_each_quarter(client, council):
    MeetingFactory(
        group=None,
        council=council,
        kind="regular",
        status="held",
        starts_at=timezone.make_aware(dt.datetime(2021, 5, 6, 14)),
        published_at=timezone.now(),
    )
    html = client.get(reverse("councils:committee")).content.decode()
    assert html.count('class="quarter-') == 6  # 2021 Q2 … 2022 Q3
    assert 'class="quarter-held"' in html
    assert html.count('class="quarter-missed"') == 5


def test_ical_feed_lists_published_meetings_only(client, group):
    MeetingFactory(group=group, title="공개 회의", published_at=timezone.now())
    MeetingFactory(group=group, title="비공개 초안")
    body = client.get(reverse("councils:meetings_ical")).content.decode()
    assert "공개 회의" in body and "비공개 초안" not in body
    assert body.startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("size", [2, 12])
def test_group_pages_query_counts_do_not_grow(client, council, size, django_assert_num_queries):
    groups = WorkingGroupFactory.create_batch(size, council=council)
    for group in groups:
        GroupMembershipFactory.create_batch(2, group=group)
        MeetingFactory.create_batch(2, group=group, published_at=timezone.now())
    with django_assert_num_queries(4):
        client.get(reverse("councils:group_list"))
    with django_assert_num_queries(5):
        client.get(reverse("councils:group_detail", args=[groups[0].slug]))


@pytest.mark.parametrize("size", [1, 8])
def test_meeting_page_query_count_does_not_grow(client, group, size, django_assert_num_queries):
    minutes = MinutesFactory(meeting__group=group, status="published", published_at=timezone.now())
    meeting = minutes.meeting
    meeting.set_agenda([f"안건 {n}" for n in range(size)])
    for person in GroupMembershipFactory.create_batch(size, group=group):
        minutes.attendees.add(person.user)
    with django_assert_num_queries(7):
        client.get(meeting.get_absolute_url())


def test_council_pages_in_english(client, group):
    minutes = MinutesFactory(meeting__group=group, status="published", published_at=timezone.now())
    meeting = minutes.meeting
    meeting.set_agenda(["태양광 점검"])
    group_url = group.get_absolute_url()
    html = client.get(f"/en{meeting.get_absolute_url()}").content.decode()
    assert '<html lang="en">' in html
    for text in ("Agenda", "Minutes", "Working groups", "Attendance", "In person"):
        assert text in html
    html = client.get(f"/en{group_url}").content.decode()
    assert "Join the group" in html and "Meetings" in html
    html = client.get("/en/council/committee/").content.decode()
    assert "Regular meetings, quarter by quarter" in html


@pytest.mark.parametrize("size", [1, 10])
def test_calendar_feeds_query_counts_do_not_grow(client, group, size, django_assert_num_queries):
    for meeting in MeetingFactory.create_batch(size, group=group, published_at=timezone.now()):
        meeting.set_agenda(["안건 1", "안건 2"])
    with django_assert_num_queries(2):
        client.get(reverse("councils:meetings_ical"))
    with django_assert_num_queries(2):
        client.get(reverse("councils:meetings_ical_year", args=[timezone.localdate().year]))
    with django_assert_num_queries(3):
        client.get(reverse("councils:group_ical", args=[group.slug]))


def test_the_calendar_feed_holds_a_year_back_and_each_year_has_its_archive(client, group):
    now = timezone.now()
    for title, days in (("다음 달 회의", -30), ("지난달 회의", 30), ("작년 초 회의", 400)):
        MeetingFactory(
            group=group,
            title=title,
            starts_at=now - dt.timedelta(days=days),
            published_at=now - dt.timedelta(days=days + 10),
        )
    body = client.get(reverse("councils:meetings_ical")).content.decode()
    assert "다음 달 회의" in body and "지난달 회의" in body and "작년 초 회의" not in body
    old = timezone.localdate(now - dt.timedelta(days=400)).year
    archive = client.get(reverse("councils:meetings_ical_year", args=[old])).content.decode()
    assert "작년 초 회의" in archive and archive.startswith("BEGIN:VCALENDAR")
    html = client.get(reverse("councils:group_list")).content.decode()
    assert f'href="{reverse("councils:meetings_ical_year", args=[old])}"' in html
    assert client.get("/council/meetings-1066.ics").status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_committee_query_count_with_meetings(client, council, size, django_assert_num_queries):
    MeetingFactory.create_batch(
        size, group=None, council=council, kind="regular", published_at=timezone.now()
    )
    with django_assert_num_queries(5):
        client.get(reverse("councils:committee"))


def test_group_meetings_come_in_pages(client, group):
    MeetingFactory.create_batch(25, group=group, published_at=timezone.now())
    url = reverse("councils:group_detail", args=[group.slug])
    first = client.get(url).content.decode()
    assert first.count("list-group-item") == 20 and 'rel="next"' in first
    second = client.get(url + "?page=2").content.decode()
    assert second.count("list-group-item") == 5 and 'rel="prev"' in second
    assert client.get(url + "?page=abc").status_code == 200


def test_account_names_never_show_on_public_pages(client, db):
    group = WorkingGroupFactory()
    GroupMembershipFactory(
        group=group, user=UserFactory(username="kim.private", first_name="", display_name="")
    )
    html = client.get(group.get_absolute_url()).content.decode()
    assert "kim.private" not in html and "참여자" in html


def test_a_second_click_does_not_publish_minutes_by_accident(client, db):
    minutes = MinutesFactory()
    lead = minutes.meeting.group.lead.user
    client.force_login(lead)
    url = reverse("councils:minutes_advance", args=[minutes.meeting_id])
    client.post(url, {"from": "draft"})
    response = client.post(url, {"from": "draft"}, follow=True)
    assert Minutes.objects.get().status == Minutes.Status.CIRCULATED
    assert "이미 다음 단계" in response.content.decode()


def test_files_of_documents_that_are_not_public_are_not_found(client, db):
    from councils.models import Document, DocumentAttachment
    from tests.factories import DocumentFactory, pdf_attachment

    secret = DocumentFactory(title="비공개", disclosure=Document.Disclosure.NOT_PUBLIC)
    hidden = pdf_attachment(DocumentAttachment, document=secret, title="첨부")
    url = reverse("councils:document_file", args=[secret.pk, hidden.pk])
    assert client.get(url).status_code == 404


def test_a_planned_meeting_whose_date_passed_shows_no_record_not_planned(client, demo):
    from councils.models import Meeting

    first = Meeting.objects.get(title__startswith="제1차")
    assert first.is_planned and first.is_unrecorded
    page = client.get(first.get_absolute_url()).content.decode()
    assert "기록 없음" in page and "예정" not in page.split("<main", 1)[1]
    committee = client.get(reverse("councils:committee")).content.decode()
    assert "기록 없음" in committee


# Member names are listed only by the member's choice -----------------------------------------


def test_group_page_counts_members_who_did_not_choose_to_be_listed(client, group, member):
    GroupMembershipFactory(group=group, user=UserFactory(first_name="공개회원"), show_name=True)
    html = client.get(reverse("councils:group_detail", args=[group.slug])).content.decode()
    assert "공개회원" in html
    assert "참여시민" not in html
    assert "그 밖의 회원 1명" in html


def test_a_member_chooses_to_be_listed_and_to_stop(client, group, member):
    url = reverse("councils:group_detail", args=[group.slug])
    listing = reverse("councils:group_listing", args=[group.slug])
    client.force_login(member)
    assert "참여시민" not in client.get(url).content.decode()
    assert client.post(listing, {"show": "1"}).url == url
    client.logout()
    assert "참여시민" in client.get(url).content.decode()
    client.force_login(member)
    client.post(listing, {"show": "0"})
    assert "참여시민" not in client.get(url).content.decode()


def test_listing_is_the_members_own_choice(client, group, member, citizen):
    listing = reverse("councils:group_listing", args=[group.slug])
    response = client.post(listing, {"show": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(citizen)  # not a member: nothing to list, nobody else's choice changed
    client.post(listing, {"show": "1"})
    assert not group.memberships.filter(show_name=True).exists()


@pytest.mark.parametrize("size", [2, 12])
def test_group_page_with_listed_members_query_count_does_not_grow(
    client, group, member, size, django_assert_num_queries
):
    GroupMembershipFactory.create_batch(size, group=group, show_name=True)
    GroupMembershipFactory.create_batch(size, group=group)
    client.force_login(member)
    client.get(reverse("councils:group_detail", args=[group.slug]))
    with django_assert_num_queries(7):
        response = client.get(reverse("councils:group_detail", args=[group.slug]))
    assert response.context["unlisted_count"] == size + 1
