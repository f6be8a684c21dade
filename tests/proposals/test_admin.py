import csv
import io

from django.contrib import admin
from django.core import mail
from django.urls import reverse

from proposals.models import Proposal, ProposalStatus
from tests.conftest import admin_action
from tests.factories import ProposalFactory


def act(client, action, proposals, **fields):
    return admin_action(client, action, proposals, fields, follow=True)


def test_pipeline_actions_move_step_by_step_and_refuse_skips(
    staff_client, proposal, django_capture_on_commit_callbacks
):
    page = act(staff_client, "adopt", [proposal]).content.decode()
    assert "바로 넘어갈 수 없습니다" in page
    assert Proposal.objects.get().status == ProposalStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        act(staff_client, "start_review", [proposal])
        act(staff_client, "put_to_poll", [proposal])
    assert Proposal.objects.get().status == ProposalStatus.IN_POLL
    page = act(staff_client, "adopt", [proposal]).content.decode()
    assert "답변이 있어야 합니다" in page
    assert len(mail.outbox) == 2  # the proposer heard of both steps


def test_saving_a_response_in_the_admin_tells_the_proposer(
    staff_client, proposal, django_capture_on_commit_callbacks
):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    form = {
        "call": proposal.call.pk,
        "author": proposal.author.pk,
        "title": proposal.title,
        "problem": proposal.problem,
        "solution": proposal.solution,
        "response": "예산을 확보해 채택합니다.",
        "reviews-TOTAL_FORMS": 0,
        "reviews-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
        "transitions-TOTAL_FORMS": 0,
        "transitions-INITIAL_FORMS": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Proposal.objects.get().response == "예산을 확보해 채택합니다."
    assert "예산을 확보해 채택합니다." in mail.outbox[0].body


def test_fold_action_asks_for_the_parent_and_the_reason(staff_client, proposal):
    parent = ProposalFactory(call=proposal.call, title="시민총회 실천의제")
    page = act(staff_client, "fold", [proposal]).content.decode()
    assert 'name="parent"' in page and 'name="reason"' in page
    act(staff_client, "fold", [proposal], apply="1", parent=parent.pk, reason="하위 분류")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.parent, proposal.fold_reason) == (
        ProposalStatus.FOLDED,
        parent,
        "하위 분류",
    )


def test_csv_export(staff_client, proposal):
    response = act(staff_client, "export_csv", [proposal])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2] == "녹색아파트조성사업"


def test_a_korean_title_gets_a_readable_address(staff_client, db):
    from proposals.models import Call

    page = staff_client.get(reverse("admin:proposals_call_add"))
    management = {
        f"{formset.formset.prefix}-{name}": value
        for formset in page.context["inline_admin_formsets"]
        for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
    }

    def add(title: str):
        return staff_client.post(
            reverse("admin:proposals_call_add"),
            {
                "title": title,
                "slug": "",
                "description": "공모",
                "required_verification": "email",
                "opens_at_0": "2026-12-01",
                "opens_at_1": "09:00",
                "closes_at_0": "2026-12-10",
                "closes_at_1": "18:00",
                "debate_review_participants": 1000,
                "debate_response_days": 30,
                **management,
            },
        )

    assert add("OGP 실행계획 시민 제안 공모").status_code == 302
    assert add("OGP 실행계획 시민 제안 공모").status_code == 302
    assert sorted(Call.objects.values_list("slug", flat=True)) == [
        "ogp-silhaenggyehoeg-simin-jean-gongmo",
        "ogp-silhaenggyehoeg-simin-jean-gongmo-2",
    ]
    call = Call.objects.first()
    assert staff_client.get(call.get_absolute_url()).status_code == 200
    # The same mechanism serves every admin page with a slug.
    for model_admin in admin.site._registry.values():
        assert "slug" not in model_admin.prepopulated_fields, model_admin
