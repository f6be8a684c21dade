"""The proposer's text is the proposer's: the secretariat corrects it only with a reason that the
proposal's page shows, dated, with the text as written; nobody else uses the proposer's form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from outbox.models import Message
from proposals.models import Proposal, ProposalCorrection
from proposals.services.pipeline import proposal_correct
from tests.conftest import second_factor
from tests.factories import UserFactory


@pytest.fixture
def superuser(db):
    return second_factor(UserFactory(username="root", is_staff=True, is_superuser=True))


def correct(client, proposal, **fields):
    return client.post(
        reverse("admin:proposals_proposal_changelist"),
        {"action": "correct", "_selected_action": [proposal.pk], "apply": "1", **fields},
        follow=True,
    )


def test_the_superuser_is_refused_the_proposer_s_form(client, proposal, superuser):
    client.force_login(superuser)
    url = reverse("proposals:proposal_edit", args=[proposal.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"title": "몰래 바꾼 제목", "problem": "x", "solution": "y"})
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).title == "녹색아파트조성사업"


def test_the_proposer_keeps_the_form(client, proposal, proposer):
    client.force_login(proposer)
    assert client.get(reverse("proposals:proposal_edit", args=[proposal.pk])).status_code == 200


def test_the_admin_shows_the_proposer_s_words_read_only(client, proposal, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    form = page.context["adminform"].form
    assert not {"title", "problem", "solution", "organisation", "contact", "author"} & set(
        form.fields
    )


def test_a_correction_is_shown_on_the_page_with_its_date_and_reason(
    client, proposal, superuser, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        correct(
            client,
            proposal,
            title="녹색 아파트 조성 사업",
            problem=proposal.problem,
            solution=proposal.solution,
            reason="띄어쓰기 바로잡음",
        )
    correction = ProposalCorrection.objects.get()
    assert (correction.previous_title, correction.author) == ("녹색아파트조성사업", superuser)
    assert Proposal.objects.get(pk=proposal.pk).title == "녹색 아파트 조성 사업"
    client.logout()
    html = client.get(proposal.get_absolute_url()).content.decode()
    date = timezone.localtime(correction.created_at).strftime("%Y-%m-%d")
    assert f"{date}에 사무국이 정정했습니다: 띄어쓰기 바로잡음" in html
    assert "녹색아파트조성사업" in html  # the text as the proposer wrote it
    told = Message.objects.get(key__startswith=f"proposal:{proposal.pk}:correction:")
    assert told.recipient == proposal.author
    entry = AuditEntry.objects.get_for_object(proposal).filter(action=AuditEntry.Action.UPDATE)
    assert entry.get().changes_dict["title"] == ["녹색아파트조성사업", "녹색 아파트 조성 사업"]
    assert entry.get().actor_id == superuser.pk


def test_a_correction_needs_a_reason_and_a_change(proposal, superuser):
    with pytest.raises(ValidationError):
        proposal_correct(proposal=proposal, author=superuser, reason=" ", title="새 제목")
    with pytest.raises(ValidationError):
        proposal_correct(
            proposal=proposal, author=superuser, reason="이유", title=proposal.title
        )
    with pytest.raises(ValidationError):
        proposal_correct(
            proposal=proposal, author=superuser, reason="이유", contact="01012345678"
        )
    assert not ProposalCorrection.objects.exists()


def test_the_admin_action_without_a_reason_asks_again(client, proposal, superuser):
    client.force_login(superuser)
    page = correct(
        client, proposal, title="새 제목", problem=proposal.problem, solution=proposal.solution
    )
    assert page.status_code == 200 and "admin/proposals/correct.html" in [
        t.name for t in page.templates
    ]
    assert not ProposalCorrection.objects.exists()


def test_the_admin_corrects_one_proposal_at_a_time(client, proposal, open_call, superuser):
    from tests.factories import ProposalFactory

    other = ProposalFactory(call=open_call)
    client.force_login(superuser)
    page = client.post(
        reverse("admin:proposals_proposal_changelist"),
        {"action": "correct", "_selected_action": [proposal.pk, other.pk]},
        follow=True,
    )
    assert "한 번에 제안 하나씩 정정하세요." in page.content.decode()
