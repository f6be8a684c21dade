import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import post_init
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Ballot, Envelope, Participation, Poll, Result, new_receipt
from tests.consultations.conftest import count_all, option_ids, real_ballots
from tests.factories import PollFactory, UserFactory


def vote(client, poll, *labels):
    return client.post(
        reverse("consultations:poll_vote", args=[poll.slug]),
        {"option": option_ids(poll, *labels)},
    )


def test_a_verified_citizen_votes_and_sees_the_receipt_once(client, poll, citizen):
    client.force_login(citizen)
    voted = vote(client, poll, "찬성")
    # Post/redirect/get: the vote renders nothing; the receipt comes in a signed cookie that
    # only the receipt's page reads, and drops.
    receipt_url = reverse("consultations:poll_voted", args=[poll.slug])
    assert voted.status_code == 303 and voted["Location"] == receipt_url
    assert voted.cookies["receipt"]["path"] == receipt_url
    assert voted.cookies["receipt"]["httponly"]
    response = client.get(receipt_url)
    html = response.content.decode()
    receipt = re.search(r'<code id="receipt-code">([A-Z0-9-]{14})</code>', html)[1]
    count_all(poll)
    assert [ballot.receipt for ballot in real_ballots()] == [receipt]
    assert response["Cache-Control"] == "no-store"
    assert f'download="receipt-{poll.slug}.txt"' in html
    assert f'data-receipt-code="{receipt}"' in html  # kept by the browser, on this device only
    assert response.cookies["receipt"].value == ""  # dropped: shown once
    assert client.get(receipt_url)["Location"] == poll.get_absolute_url()
    detail = client.get(poll.get_absolute_url())
    page = detail.content.decode()
    assert receipt not in page  # the server never shows it again
    assert "이 투표에 참여하셨으므로 투표 용지를 다시 보여 드리지 않습니다" in page
    assert 'name="option"' not in page
    assert detail["Cache-Control"] == "no-store"  # Back fetches the page again


def test_a_second_submit_of_the_same_ballot_is_refused_with_a_message(client, poll, citizen):
    client.force_login(citizen)
    vote(client, poll, "찬성")
    response = vote(client, poll, "찬성")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "이미 이 투표에 참여하셨습니다" in page
    assert Participation.objects.filter(poll=poll).count() == 1


@pytest.mark.parametrize(
    "form, message",
    [
        ({"option": ["999999"]}, "이 투표의 선택지 가운데서 골라 주세요."),
        ({"option": ["abc"]}, "이 투표의 선택지 가운데서 골라 주세요."),
        ({}, "이 투표의 선택지 가운데서 골라 주세요."),
    ],
)
def test_forged_ballots_get_a_message_never_a_500(client, poll, citizen, form, message):
    client.force_login(citizen)
    response = client.post(reverse("consultations:poll_vote", args=[poll.slug]), form, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Envelope.objects.exists()


def test_a_second_vote_is_refused_with_a_message(client, poll, citizen):
    client.force_login(citizen)
    vote(client, poll, "찬성")
    response = client.post(
        reverse("consultations:poll_vote", args=[poll.slug]),
        {"option": option_ids(poll, "반대")},
        follow=True,
    )
    assert "이미 이 투표에 참여하셨습니다." in response.content.decode()
    assert Envelope.objects.count() == 1 == Participation.objects.count()


def test_a_closed_poll_refuses_in_english_too(client, poll, citizen):
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    client.force_login(citizen)
    url = reverse("consultations:poll_vote", args=[poll.slug])
    response = client.post("/en" + url, {"option": option_ids(poll, "찬성")}, follow=True)
    assert "Voting has closed." in response.content.decode()


def test_anonymous_people_sign_in_and_unverified_ones_verify_first(client, poll):
    response = vote(client, poll, "찬성")
    assert "/accounts/login/" in response.url
    client.force_login(UserFactory(verified=False))
    assert vote(client, poll, "찬성").url == reverse("account_email")
    assert not Envelope.objects.exists()


def test_unpublished_polls_are_not_found(client, db):
    poll = PollFactory(published_at=None)
    assert client.get(poll.get_absolute_url()).status_code == 404


def test_results_hide_until_closing_unless_live(client, poll, citizen):
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "<svg" not in html and "투표가 끝나면 결과를 보여 드립니다." in html
    assert (
        client.get(reverse("consultations:poll_download", args=[poll.slug, "json"])).status_code
        == 404
    )
    poll.results = "live"
    poll.save(update_fields=["results"])
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "<svg" not in html  # counted in batches: no count shows before the first
    assert (
        "투표가 최소 50표 집계되면 득표수를 보여 드립니다" in html
    )  # two counts: shown one behind
    count_all(poll)
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "<svg" in html and "<table" in html


@override_settings(POLL_BALLOTS_PER_BATCH=3)
def test_live_results_move_only_by_batches_of_ballots(client, db):
    poll = PollFactory(results="live")

    def shown() -> int:
        html = client.get(poll.get_absolute_url()).content.decode()
        found = re.search(r"지금까지 (\d+)표를 집계했습니다", html)
        return int(found[1]) if found else 0

    seen = []
    for _ in range(12):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
        services.polls_count()  # as if beat ran after every single vote
        seen.append(shown())
    steps = [b - a for a, b in zip([0, *seen], seen, strict=False) if b != a]
    assert steps and all(step >= 3 for step in steps), seen


@pytest.fixture
def closed_poll(poll):
    for _ in range(3):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "반대"))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    services.polls_close()
    return poll


def test_the_result_page_has_a_chart_a_digest_and_a_lookup_not_the_receipts(client, closed_poll):
    html = client.get(closed_poll.get_absolute_url()).content.decode()
    assert '<ul class="result-bars">' in html  # the bars; the table below is their text
    assert '<table class="tbl data result-table">' in html
    assert "75.0%" in html and "25.0%" in html
    for receipt in Ballot.objects.values_list("receipt", flat=True):
        assert receipt not in html
    assert Result.objects.get().receipts_sha256 in html
    assert 'name="code"' in html and "receipts.txt" in html


def test_the_receipt_list_downloads_and_matches_the_published_digest(client, closed_poll):
    response = client.get(reverse("consultations:receipt_list", args=[closed_poll.slug]))
    assert response.streaming and response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="receipts-ask.txt"'
    body = b"".join(response.streaming_content)
    shown = re.search(
        r'id="receipts-sha256">([0-9a-f]{64})<',
        client.get(closed_poll.get_absolute_url()).content.decode(),
    )[1]
    assert hashlib.sha256(body).hexdigest() == shown
    codes = body.decode().splitlines()
    assert codes == sorted(Ballot.objects.values_list("receipt", flat=True))
    closed_poll.refresh_from_db()
    # The voters' four and the blank ballots of their batches (the page says how many).
    assert body.endswith(b"\n") and len(codes) == 4 + closed_poll.padding_count == 29
    page = client.get(closed_poll.get_absolute_url()).content.decode()
    assert "빈 채움 투표의 코드 25개" in page


@pytest.mark.parametrize(
    "typed, answer",
    [
        ("{code}", "집계됨: 영수증 {code}은(는) 이 투표에서 집계된 표 가운데 있습니다."),
        ("{lower}", "집계됨: 영수증 {code}은(는) 이 투표에서 집계된 표 가운데 있습니다."),
        ("ABCD-EFGH-JKLM", "찾을 수 없음: 이 투표에서 집계된 표 가운데 영수증 ABCD-EFGH-JKLM"),
        ("ABCD-EFGH-JKL0", "영수증 코드는 ABCD-EFGH-JKLM처럼 네 자씩 묶은 12자의"),
        ("<script>", "영수증 코드는 ABCD-EFGH-JKLM처럼 네 자씩 묶은 12자의"),
        ("", "필수 항목입니다."),
    ],
)
def test_a_receipt_is_looked_up_one_at_a_time(client, closed_poll, typed, answer):
    code = Ballot.objects.order_by("receipt").first().receipt
    typed = typed.format(code=code, lower=code.replace("-", " ").lower())
    url = reverse("consultations:receipt_check", args=[closed_poll.slug])
    response = client.get(url, {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert answer.format(code=code) in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_a_receipt_lookup_answers_in_english_too(client, closed_poll):
    code = Ballot.objects.first().receipt
    url = "/en" + reverse("consultations:receipt_check", args=[closed_poll.slug])
    assert f"Counted: receipt {code}" in client.get(url, {"code": code}).content.decode()
    assert (
        "Not found: no counted ballot"
        in client.get(url, {"code": "ABCD-EFGH-JKLM"}).content.decode()
    )
    assert "A receipt code has 12 letters" in client.get(url, {"code": "x"}).content.decode()


def test_receipts_wait_for_the_result(client, poll, citizen):
    services.poll_vote(poll=poll, user=citizen, option_ids=option_ids(poll, "찬성"))
    for name in ["consultations:receipt_check", "consultations:receipt_list"]:
        assert client.get(reverse(name, args=[poll.slug])).status_code == 404


def frozen_poll_with(ballots: int) -> Poll:
    """A closed, frozen poll with this many ballots: the votes' participations and sealed
    envelopes written in bulk, then counted and frozen by the service."""
    poll = PollFactory(opens_at=timezone.now() - timezone.timedelta(days=3))
    chosen = [poll.options.first().pk]
    people = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{poll.slug}-{n}", email=f"{poll.slug}-{n}@example.org")
        for n in range(ballots)
    )
    Participation.objects.bulk_create(
        Participation(poll=poll, user=person, day=timezone.localdate()) for person in people
    )
    Envelope.objects.bulk_create(
        Envelope(
            poll=poll,
            content=Envelope.seal(poll_id=poll.pk, receipt=new_receipt(), option_ids=chosen),
        )
        for _ in range(ballots)
    )
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timezone.timedelta(hours=1))
    services.poll_freeze(poll=poll)
    return poll


@pytest.fixture
def instances():
    """How many model instances a block of code builds (rows loaded from the database)."""
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count)
    yield built
    post_init.disconnect(count)


def test_the_published_poll_loads_the_same_rows_at_30_and_1000_ballots(
    client, db, instances, django_assert_num_queries
):
    small, large = frozen_poll_with(30), frozen_poll_with(1000)  # both beyond padding
    sizes = []
    for poll in [small, large]:
        instances.clear()
        with django_assert_num_queries(4):
            html = client.get(poll.get_absolute_url()).content.decode()
        html = re.sub(r"[0-9a-f]{64}|\d|name=\"csrfmiddlewaretoken\" value=\"\w+\"", "", html)
        sizes.append((len(instances), len(html)))
        code = Ballot.objects.filter(poll=poll).values_list("receipt", flat=True).first()
        instances.clear()
        with django_assert_num_queries(5):
            client.get(reverse("consultations:receipt_check", args=[poll.slug]), {"code": code})
        assert len(instances) == sizes[-1][0]  # the poll and its options; the ballot is not built
    assert sizes[0] == sizes[1]
    assert sizes[0][0] <= 5  # the poll, its result, two options: never a ballot


def test_no_request_counts_ballots(client, closed_poll, poll, citizen):
    live = PollFactory(results="live")
    client.force_login(citizen)
    with CaptureQueriesContext(connection) as captured:
        for url in [
            reverse("consultations:poll_list"),
            closed_poll.get_absolute_url(),
            reverse("consultations:receipt_check", args=[closed_poll.slug]) + "?code=ABCD",
            reverse("consultations:receipt_check", args=[closed_poll.slug])
            + "?code=ABCD-EFGH-JKLM",
            reverse("consultations:receipt_list", args=[closed_poll.slug]),
            live.get_absolute_url(),
            reverse("consultations:poll_download", args=[closed_poll.slug, "csv"]),
            reverse("consultations:poll_download", args=[live.slug, "json"]),
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            b"".join(getattr(response, "streaming_content", []))
        vote(client, live, "찬성")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "consultations_envelope" in sql  # the vote wrote one
    assert "consultations_ballot" in sql  # the lookup and the download read the box
    tables = ["CONSULTATIONS_BALLOT", "CONSULTATIONS_PARTICIPATION", "CONSULTATIONS_ENVELOPE"]
    for query in captured.captured_queries:
        statement = query["sql"].upper()
        if any(table in statement for table in tables):
            assert "COUNT(" not in statement, query["sql"]


@pytest.mark.parametrize("voters", [2, 12])
def test_poll_pages_query_counts(client, poll, voters, django_assert_num_queries):
    for _ in range(voters):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    count_all(poll)
    PollFactory.create_batch(voters // 2)
    with django_assert_num_queries(2):
        client.get(reverse("consultations:poll_list"))
    with django_assert_num_queries(4):  # the poll, its options, proposals and booths
        client.get(poll.get_absolute_url())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("voters", [2, 12])
def test_a_vote_takes_at_most_ten_queries(client, voters):
    """Outside any test transaction, as in production: no savepoint is counted."""
    poll = PollFactory(slug="pinned")
    for _ in range(voters):
        services.poll_vote(poll=poll, user=UserFactory(), option_ids=option_ids(poll, "찬성"))
    client.force_login(UserFactory())
    url, chosen = reverse("consultations:poll_vote", args=[poll.slug]), option_ids(poll, "반대")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"option": chosen})
    assert response.status_code == 303
    # Session, account, verified address, poll and options; the poll's shared lock, its result
    # (none), the participation, the envelope. SQLite's BEGIN and COMMIT are not statements.
    statements = [q for q in captured.captured_queries if q["sql"] not in {"BEGIN", "COMMIT"}]
    assert len(statements) == 10 <= 10  # 9, and the voter's resident key
    written = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(written) == 2  # the participation and the sealed envelope, nothing else
    named = re.compile(rf"(= |\(){chosen[0]}(?!\d)")  # not the start of another number
    for query in captured.captured_queries:  # no statement names the option chosen
        assert not named.search(query["sql"])
    assert 'id="receipt-code"' in client.get(response["Location"]).content.decode()


def test_an_absurd_option_id_is_a_message_not_a_500(client, db):
    poll = PollFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("consultations:poll_vote", args=[poll.slug]), {"option": ["9" * 40]}, follow=True
    )
    assert response.status_code == 200
    assert "이 투표의 선택지 가운데서 골라 주세요." in response.content.decode()
