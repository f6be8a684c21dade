import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Proposal, ProposalStatus, Review
from tests.factories import (
    PDF,
    ProposalFactory,
    UserFactory,
    pdf_attachment,
)
from tests.proposals.conftest import walk

FORM = {
    "title": "시민 햇빛발전소",
    "problem": "옥상이 비어 있다",
    "solution": "협동조합에 빌려준다",
}


def test_a_verified_citizen_submits_to_an_open_call(client, open_call, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("proposals:proposal_create", args=[open_call.slug]),
        {**FORM, "attachment": SimpleUploadedFile("plan.pdf", PDF)},
    )
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    assert proposal.author == citizen and proposal.attachments.count() == 1


def test_a_closed_call_refuses_with_a_clear_message_and_keeps_the_text(
    client, closed_call, citizen
):
    client.force_login(citizen)
    url = reverse("proposals:proposal_create", args=[closed_call.slug])
    page = client.get(url).content.decode()
    assert "제안을 더 이상 받지 않습니다" in page
    response = client.post(url, FORM)
    html = response.content.decode()
    assert response.status_code == 200
    assert "공모 기간이 아니어서 제안을 받을 수 없습니다." in html
    assert "옥상이 비어 있다" in html
    assert not Proposal.objects.exists()


def test_an_unverified_person_is_sent_to_verify_first(client, open_call):
    client.force_login(UserFactory(verified=False))
    response = client.get(reverse("proposals:proposal_create", args=[open_call.slug]))
    assert response.url == reverse("account_email")


def test_the_proposer_edits_until_the_review_starts(client, proposal):
    client.force_login(proposal.author)
    url = reverse("proposals:proposal_edit", args=[proposal.pk])
    client.post(url, {**FORM, "title": "고친 제목"})
    assert Proposal.objects.get().title == "고친 제목"
    proposal.move_to(ProposalStatus.IN_REVIEW, by=None)
    assert client.post(url, {**FORM, "title": "다시"}).status_code == 403
    assert Proposal.objects.get().title == "고친 제목"


def test_supporting_in_one_click(client, proposal, citizen):
    client.force_login(citizen)
    client.post(reverse("proposals:proposal_support", args=[proposal.pk]))
    client.post(reverse("proposals:proposal_support", args=[proposal.pk]))
    assert Proposal.objects.get().support_count == 1


def test_the_call_page_names_the_proposals_awaiting_a_response(client, closed_call):
    answered = ProposalFactory(call=closed_call, title="답변한 제안")
    walk(answered, "in_review", "not_adopted", response="예산 부족")
    ProposalFactory(call=closed_call, title="기다리는 제안")
    html = client.get(closed_call.get_absolute_url()).content.decode()
    assert "1건의 제안이 아직 답변을 기다립니다" in html
    assert html.count("기다리는 제안") == 2  # in the warning and in the list


def test_the_call_page_says_when_every_proposal_is_answered(client, closed_call):
    walk(ProposalFactory(call=closed_call), "in_review", "not_adopted", response="사유")
    html = client.get(closed_call.get_absolute_url()).content.decode()
    assert "이 공모의 모든 제안에 답변이 있습니다." in html


def test_the_call_report_as_csv(client, closed_call):
    walk(
        ProposalFactory(call=closed_call, title="제안 가"),
        "in_review",
        "not_adopted",
        response="사유 가",
    )
    ProposalFactory(call=closed_call, title="제안 나")
    response = client.get(reverse("proposals:call_report", args=[closed_call.slug]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert [row[1] for row in rows[1:]] == ["제안 가", "제안 나"]
    assert rows[1][7] == "사유 가" and rows[2][7] == ""


def test_internal_review_notes_are_for_the_secretariat_only(client, proposal, secretariat):
    Review.objects.create(
        proposal=proposal,
        department="기후환경정책과",
        starts_on="2021-03-05",
        ends_on="2021-03-09",
        opinion="공개 의견",
        internal_notes="내부 메모",
    )
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "공개 의견" in html and "내부 메모" not in html
    client.force_login(secretariat)
    assert "내부 메모" in client.get(proposal.get_absolute_url()).content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_proposal_pages_query_counts(client, open_call, size, django_assert_num_queries):
    proposals = ProposalFactory.create_batch(size, call=open_call)
    for p in proposals:
        walk(p, "in_review")
        Review.objects.create(
            proposal=p, department="과", starts_on="2021-03-05", ends_on="2021-03-09"
        )
    # Each the first request after a change, the pages' version read from the database (the
    # cache holds it for a second only: cleared here, so that the count does not depend on how
    # long the set-up took).
    pages = [
        (reverse("proposals:call_list"), 3),
        (open_call.get_absolute_url(), 8),
        (reverse("proposals:call_report", args=[open_call.slug]), 3),
        (proposals[0].get_absolute_url(), 9),  # with the corrections of the text, if any
    ]
    for url, queries in pages:
        cache.clear()
        with django_assert_num_queries(queries):
            client.get(url)


def test_proposal_pages_in_english(client, proposal):
    url = proposal.get_absolute_url()
    html = client.get(f"/en{url}").content.decode()
    assert '<html lang="en">' in html and "Reasoned response" in html and "Submitted" in html


def test_the_site_never_moves_a_proposal_on_the_proposers_say(client, proposal):
    client.force_login(proposal.author)
    client.post(
        reverse("proposals:proposal_edit", args=[proposal.pk]),
        {**FORM, "status": "adopted", "response": "내가 채택", "support_count": 999},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.response == "" and proposal.support_count == 0


def test_the_files_of_a_proposal_are_public_with_it(client, db):
    from proposals.models import ProposalAttachment

    proposal = ProposalFactory()
    shown = pdf_attachment(ProposalAttachment, proposal=proposal, title="계획")
    response = client.get(reverse("proposals:proposal_file", args=[proposal.pk, shown.pk]))
    assert response.status_code == 200
    assert (
        client.get(reverse("proposals:proposal_file", args=[proposal.pk + 1, shown.pk])).status_code
        == 404
    )


def test_an_oversized_paste_is_refused_with_the_count_and_kept_in_the_form(client, open_call):
    from django.db import IntegrityError, transaction

    from proposals.models import Proposal
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    paste = "가" * 1_048_576
    page = client.post(
        reverse("proposals:proposal_create", args=[open_call.slug]),
        {"title": "큰 붙여넣기", "problem": paste, "solution": "해결"},
    )
    assert page.status_code == 200
    assert "최대 10000 개의 글자" in page.content.decode()
    assert page.context["form"]["problem"].value() == paste
    assert 'maxlength="' not in str(page.context["form"]["problem"])
    assert not Proposal.objects.exists()
    # The database holds the same limit for anything that skips the form.
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            call=open_call, author=UserFactory(), title="x", problem=paste, solution="y"
        )


def test_the_2021_history_is_credited_to_the_city_office(client, demo):
    from proposals.models import Proposal

    adopted = Proposal.objects.get(status="adopted", call__slug="ogp-2021")
    page = client.get(adopted.get_absolute_url()).content.decode()
    assert "광주광역시 혁신소통기획관" in page
    assert "사무국(데모)" not in page
