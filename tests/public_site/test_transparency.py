"""The public OGP page, the requirement tracker, the repository, feeds, open data and search."""

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Meeting, Minutes
from tests.factories import (
    CommitteeMemberFactory,
    DocumentFactory,
    MeetingFactory,
    MinutesFactory,
)

DEMO_ACCOUNTS = [
    "secretariat@ogp-demo.example",
    "lead@ogp-demo.example",
    "citizen@ogp-demo.example",
    "voter-2021-01",
    "proposer-2021",
]


def links(html: str) -> set[str]:
    return {
        href.split("#")[0]
        for href in re.findall(r'href="(/[^"]*)"', html)
        if not href.startswith(("/static/", "/i18n/", "/accounts/", "/admin/"))
    }


def test_a_visitor_reaches_everything_in_two_clicks(client, demo):
    first = links(client.get("/").content.decode())
    second = set(first)
    for url in first:
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            second |= links(response.content.decode())
    patterns = {
        "committee": r"^/council/committee/$",
        "working group": r"^/council/groups/[\w-]+/$",
        "meeting with minutes": r"^/council/meetings/\d+/$",
        "call": r"^/participate/calls/[\w-]+/$",
        "call report": r"^/participate/calls/[\w-]+/report/$",
        "proposal": r"^/participate/proposals/\d+/$",
        "commitment": r"^/participate/commitments/\d+/$",
        "poll": r"^/ask/[\w-]+/$",
        "document": r"^/council/documents/\d+/$",
        "tracker": r"^/transparency/$",
        "evidence": r"^/transparency/evidence\.zip$",
        "open data": r"^/data/[\w-]+\.(json|csv)$",
        "search": r"^/search/$",
    }
    for name, pattern in patterns.items():
        assert any(re.match(pattern, url) for url in second), name


def test_the_public_page_shows_the_timeline_and_what_is_open(client, demo):
    html = client.get("/").content.decode()
    assert html.count('class="timeline-item') >= 11
    assert "광주시 OGP 가입" in html and "2020. 10." in html
    assert "OGP 실행계획 시민 제안 공모 (데모)" in html  # open now
    # The portal's own entries after the recorded ones are all the demo's: listed apart.
    assert 'id="demo-title"' in html and "회의 개최: 에너지 워킹그룹 정기 점검 모임 (데모)" in html
    assert "찬성 30 · 반대 1" in html


def test_the_tracker_shows_the_demo_council_with_evidence(client, demo):
    html = client.get(reverse("tracker")).content.decode()
    assert html.count('class="card mb-3 requirement ') == 8
    assert "requirement-unmet" in html and "requirement-met" in html
    evidence = re.findall(r"Evidence|근거", html)
    assert evidence
    for url in {u for u in re.findall(r'<a href="(/[^"#]*)', html) if "/static/" not in u}:
        assert client.get(url).status_code == 200, url


def test_requirements_turn_green_with_the_evidence(client, demo):
    from councils.models import Council
    from public_site import transparency

    council = Council.objects.get()
    before = {r.key: r.met for r in transparency.requirements(council)}
    assert before["membership_published"] and before["proposals_answered"]
    assert not before["forum_meets"]
    for months in (1, 5):
        MinutesFactory(
            meeting=MeetingFactory(
                council=council,
                group=council.working_groups.first(),
                starts_at=timezone.now() - dt.timedelta(days=30 * months),
                published_at=timezone.now() - dt.timedelta(days=30 * months + 10),
                status=Meeting.Status.HELD,
            ),
            status=Minutes.Status.PUBLISHED,
            published_at=timezone.now() - dt.timedelta(days=30 * months - 3),
        )
    after = {r.key: r.met for r in transparency.requirements(council)}
    assert after["civil_society_meetings"] and after["repository_fresh"]


def test_the_evidence_package_is_one_zip(client, demo):
    response = client.get(reverse("evidence_package"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "requirements.json" in names and "data/minutes.csv" in names
    data = json.loads(archive.read("requirements.json"))
    assert len(data["requirements"]) == 8 and all("evidence" in r for r in data["requirements"])


def test_the_repository_lists_the_source_document_minutes_and_call_reports(client, demo):
    html = client.get(reverse("repository")).content.decode()
    assert "혁신소통기획관-4000" in html
    assert "/participate/calls/ogp-2021/report/" in html
    assert "에너지 워킹그룹 정기 점검 모임 (데모)" in html
    document = re.search(r'href="(/council/documents/\d+/)"', html).group(1)
    page = client.get(document).content.decode()
    for text in ("혁신소통기획관-4000", "2021-05-04", "이여진", "손명희", "주재희", "대국민 공개"):
        assert text in page


def test_a_document_that_is_not_public_is_never_shown(client, demo):
    from councils.models import Council, Document

    secret = DocumentFactory(
        council=Council.objects.get(),
        title="비공개 문서",
        disclosure=Document.Disclosure.NOT_PUBLIC,
    )
    assert "비공개 문서" not in client.get(reverse("repository")).content.decode()
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert "비공개 문서" not in client.get(reverse("search") + "?q=비공개").content.decode()


@pytest.mark.parametrize("feed", ["feed_news", "feed_results"])
def test_atom_feeds(client, demo, feed):
    root = ET.fromstring(client.get(reverse(feed)).content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert entries


DATASETS = [
    "committee",
    "working-groups",
    "meetings",
    "minutes",
    "calls",
    "proposals",
    "poll-results",
    "commitments",
    "milestones",
]


@pytest.mark.parametrize("name", DATASETS)
def test_open_data_is_valid_json_and_csv_without_personal_data(client, demo, name):
    from django.contrib.auth import get_user_model

    as_json = client.get(reverse("opendata_dataset", args=[name, "json"]))
    data = json.loads(as_json.content)
    assert data["licence"]["name"] == "CC BY 4.0" and data["results"]
    assert all("id" in row or "poll_id" in row for row in data["results"])
    as_csv = client.get(reverse("opendata_dataset", args=[name, "csv"]))
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == len(data["results"])
    text = as_json.content.decode() + as_csv.content.decode()
    for user in get_user_model().objects.all():
        assert (not user.email or user.email not in text) and f'"{user.username}"' not in text
    for key in ("author", "contact", "email", "user", "recipient"):
        assert key not in data["results"][0]


@pytest.mark.parametrize("extension", ["json", "csv"])
def test_open_data_answers_conditional_requests_with_304(client, demo, extension):
    url = reverse("opendata_dataset", args=["meetings", extension])
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    meeting = Meeting.objects.public().first()
    meeting.title = "바뀐 제목"
    meeting.save(update_fields=["title"])
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_open_data_pages_by_keyset(client, demo):
    from councils.models import CommitteeMember, Council

    CommitteeMemberFactory.create_batch(100, council=Council.objects.get())
    url = reverse("opendata_dataset", args=["committee", "json"])
    first = json.loads(client.get(url).content)
    assert len(first["results"]) == 100 and first["next"].endswith(
        f"?after={first['results'][-1]['id']}"
    )
    # A record removed before the cursor shifts nothing: the next page starts where it did.
    CommitteeMember.objects.filter(pk=first["results"][0]["id"]).delete()
    second = json.loads(client.get(first["next"]).content)
    assert len(second["results"]) == 17 and second["next"] is None
    assert second["results"][0]["id"] > first["results"][-1]["id"]
    csv_page = client.get(reverse("opendata_dataset", args=["committee", "csv"]))
    assert 'rel="next"' in csv_page["Link"]
    assert client.get(url + "?after=x").status_code == 404
    assert client.get(url + "?after=-1").status_code == 404
    assert client.get(url + "?after=99999999999999999999999").status_code == 404
    assert client.get(reverse("opendata_dataset", args=["users", "json"])).status_code == 404


def test_search_finds_a_korean_word_of_the_demo_minutes(client, demo):
    html = client.get(reverse("search") + "?q=태양광").content.decode()
    assert "에너지 워킹그룹 정기 점검 모임 (데모)" in html
    assert 'class="mb-4 search-minutes"' in html


@pytest.mark.postgres
def test_postgres_full_text_search_finds_korean_words_with_particles(demo, postgres):
    from public_site.search import search

    found = search("협동")  # the minutes say 협동조합: a prefix of a Korean word
    assert [hit.record.meeting.title for hit in found["minutes"]] == [
        "에너지 워킹그룹 정기 점검 모임 (데모)"
    ]
    found = search("시민총회실천의제")
    assert found["proposals"]


def test_the_public_pages_in_english(client, demo):
    for url in ("/en/", "/en/transparency/", "/en/documents/", "/en/data/", "/en/search/?q=OGP"):
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
    assert "Timeline of the action plan" in client.get("/en/").content.decode()
    assert "OGP requirements" in client.get("/en/transparency/").content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_public_pages_query_counts_do_not_grow(
    client, demo, extra, django_assert_max_num_queries
):
    from councils.models import Council

    council = Council.objects.get()
    for n in range(extra):
        MinutesFactory(
            meeting=MeetingFactory(
                council=council,
                group=council.working_groups.first(),
                starts_at=timezone.now() - dt.timedelta(days=n + 1),
                published_at=timezone.now() - dt.timedelta(days=n + 9),
                status=Meeting.Status.HELD,
            ),
            status=Minutes.Status.PUBLISHED,
            published_at=timezone.now(),
        )
    # At most: the version of the records, kept a second in the cache, is read again or not.
    pages = [("/", 32), (reverse("tracker"), 21), (reverse("repository"), 6)]
    for url, queries in [*pages, (reverse("search") + "?q=태양광", 10)]:
        with django_assert_max_num_queries(queries):
            client.get(url)


def test_search_never_reaches_the_text_of_a_partly_public_document(client, demo):
    from councils.models import Council, Document

    DocumentFactory(
        council=Council.objects.get(),
        title="부분 공개 문서",
        body="숨은낱말",
        disclosure=Document.Disclosure.PARTLY_PUBLIC,
    )
    assert "부분 공개 문서" not in client.get(reverse("search") + "?q=숨은낱말").content.decode()
    assert "부분 공개 문서" in client.get(reverse("search") + "?q=부분").content.decode()


@pytest.mark.postgres
def test_postgres_search_reads_the_gin_index_of_every_source(demo, postgres):
    """The query tests the column of search words: the plan reads each source's GIN index."""
    from django.db import connection

    from ogp_portal.morphemes import Query
    from ogp_portal.search_index import Matches
    from public_site import search

    query = Query.parse("태양광")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for kind, source in search.SOURCES.items():
        plan = source.model.objects.filter(Matches(source.column, query)).explain()
        assert f"{source.model._meta.model_name}_{source.column}" in plan, kind


@pytest.mark.parametrize(
    "query, kind, found",
    [
        ("투표", "polls", "광주시 OGP 포털에서 가장 먼저 공개했으면 하는 정보는"),
        ("공모", "calls", "OGP 이행과제 안건 공모"),
        ("에너지", "groups", "에너지 워킹그룹"),
        ("혁신소통기획관", "members", "혁신소통기획관"),
    ],
)
def test_search_finds_polls_calls_groups_and_members(client, demo, query, kind, found):
    html = client.get(reverse("search"), {"q": query}).content.decode()
    section = html[html.index(f'class="mb-4 search-{kind}"') :]
    section = section[: section.index("</section>")]
    assert found in section


def test_search_never_reads_a_members_contact_address(client, demo):
    from councils.models import CommitteeMember

    member = CommitteeMember.objects.current().exclude(contact_email="").first()
    html = client.get(reverse("search"), {"q": member.contact_email}).content.decode()
    assert "search-members" not in html
