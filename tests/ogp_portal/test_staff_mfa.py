"""Staff powers need the second factor on the site as in the admin.

A staff account (staff or superuser) without a second factor is a plain citizen on the site: it
sees what a citizen sees, and every page or action that needs a staff power sends it to set up
its second factor. With the second factor, the same requests work.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from councils import services
from councils.models import Meeting, Minutes
from tests.conftest import second_factor
from tests.factories import (
    PDF,
    CommitmentFactory,
    MeetingFactory,
    MinutesFactory,
    ProposalFactory,
)

MFA_SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def council_work(group, lead):
    """Another group's unpublished meeting, a meeting awaiting minutes, draft and circulated
    minutes, a commitment the group inspects."""
    held = {
        "group": group,
        "starts_at": timezone.now() - dt.timedelta(days=1),
        "status": Meeting.Status.HELD,
        "published_at": timezone.now() - dt.timedelta(days=3),
    }
    draft = MinutesFactory(meeting=MeetingFactory(**held), author=lead)
    services.minutes_attach(minutes=draft, title="자료", upload=SimpleUploadedFile("a.pdf", PDF))
    circulated = MinutesFactory(
        meeting=MeetingFactory(**held), author=lead, status=Minutes.Status.CIRCULATED
    )
    commitment = CommitmentFactory()
    commitment.working_groups.add(group)
    return {
        "group": group,
        "unpublished": MeetingFactory(group=group),
        "awaiting_minutes": MeetingFactory(**held),
        "draft": draft,
        "attachment": draft.attachments.get(),
        "circulated": circulated,
        "commitment": commitment,
    }


def _meeting(w):
    return Meeting.objects.get(pk=w["unpublished"].pk)


def page(name: str, url):
    """A page that needs a staff power: opening it changes nothing."""
    return pytest.param(name, "get", url, None, None, id=name)


def action(name: str, url, data: dict, effect):
    """An action only staff may take: `effect` holds after the request only if it was allowed."""
    return pytest.param(name, "post", url, data, effect, id=name)


STAFF_POWERS = [
    page(
        "read another group's unpublished meeting",
        lambda w: reverse("councils:meeting_detail", args=[w["unpublished"].pk]),
    ),
    page(
        "open the group's edit page",
        lambda w: reverse("councils:group_edit", args=[w["group"].slug]),
    ),
    action(
        "edit the group",
        lambda w: reverse("councils:group_edit", args=[w["group"].slug]),
        {"purpose": "사무국이 바꾼 목적"},
        lambda w: type(w["group"]).objects.get(pk=w["group"].pk).purpose == "사무국이 바꾼 목적",
    ),
    page(
        "open the meeting scheduler",
        lambda w: reverse("councils:meeting_schedule", args=[w["group"].slug]),
    ),
    page("edit a meeting", lambda w: reverse("councils:meeting_edit", args=[w["unpublished"].pk])),
    action(
        "publish a meeting",
        lambda w: reverse("councils:meeting_action", args=[w["unpublished"].pk, "publish"]),
        {},
        lambda w: _meeting(w).is_published,
    ),
    action(
        "cancel a meeting",
        lambda w: reverse("councils:meeting_action", args=[w["unpublished"].pk, "cancel"]),
        {},
        lambda w: _meeting(w).is_cancelled,
    ),
    page(
        "post minutes",
        lambda w: reverse("councils:minutes_create", args=[w["awaiting_minutes"].pk]),
    ),
    page(
        "read draft minutes",
        lambda w: reverse("councils:minutes_edit", args=[w["draft"].meeting_id]),
    ),
    page(
        "download a draft's attachment",
        lambda w: reverse(
            "councils:attachment_download", args=[w["draft"].meeting_id, w["attachment"].pk]
        ),
    ),
    page(
        "attach a file to minutes",
        lambda w: reverse("councils:attachment_create", args=[w["draft"].meeting_id]),
    ),
    action(
        "circulate minutes",
        lambda w: reverse("councils:minutes_advance", args=[w["draft"].meeting_id]),
        {"from": "draft"},
        lambda w: Minutes.objects.get(pk=w["draft"].pk).is_circulated,
    ),
    action(
        "comment on circulated minutes",
        lambda w: reverse("councils:minutes_comment", args=[w["circulated"].meeting_id]),
        {"body": "사무국 의견"},
        lambda w: w["circulated"].comments.exists(),
    ),
    page(
        "file an inspection",
        lambda w: reverse("proposals:inspection_create", args=[w["commitment"].pk]),
    ),
]


@pytest.mark.parametrize(("name", "method", "url", "data", "effect"), STAFF_POWERS)
def test_staff_without_a_second_factor_is_sent_to_set_it_up(
    client, council_work, staff_without_mfa, name, method, url, data, effect
):
    client.force_login(staff_without_mfa)
    response = getattr(client, method)(url(council_work), data)
    assert response.status_code == 302 and response.url == MFA_SETUP, name
    if effect is not None:
        assert not effect(council_work), name


@pytest.mark.parametrize(("name", "method", "url", "data", "effect"), STAFF_POWERS)
def test_staff_with_a_second_factor_keeps_the_power(
    client, council_work, staff_without_mfa, name, method, url, data, effect
):
    client.force_login(second_factor(staff_without_mfa))
    response = getattr(client, method)(url(council_work), data)
    if method == "get":
        assert response.status_code == 200, name
    else:
        assert response.status_code == 302 and response.url != MFA_SETUP, name
        assert effect(council_work), name


@pytest.mark.parametrize(("name", "method", "url", "data", "effect"), STAFF_POWERS)
@override_settings(STAFF_MFA_REQUIRED=False)
def test_without_the_requirement_staff_need_no_second_factor(
    client, council_work, staff_without_mfa, name, method, url, data, effect
):
    """`make run`'s demo turns the requirement off."""
    client.force_login(staff_without_mfa)
    response = getattr(client, method)(url(council_work), data)
    assert response.status_code in {200, 302} and response.get("Location") != MFA_SETUP, name


def test_the_message_says_why(client, council_work, staff_without_mfa):
    client.force_login(staff_without_mfa)
    response = client.get(
        reverse("councils:group_edit", args=[council_work["group"].slug]), follow=True
    )
    said = [str(message) for message in response.context["messages"]]
    assert said == ["사무국 권한은 2단계 인증이 필요합니다. 인증을 설정한 뒤 계속하세요."]


def test_staff_without_a_second_factor_sees_what_a_citizen_sees(
    client, council_work, staff_without_mfa
):
    """No drafts listed, no internal notes, no edit links: nothing needs the second factor."""
    client.force_login(staff_without_mfa)
    group_page = client.get(council_work["group"].get_absolute_url()).content.decode()
    assert council_work["unpublished"].title not in group_page
    assert reverse("councils:group_edit", args=[council_work["group"].slug]) not in group_page
    meeting = client.get(council_work["draft"].meeting.get_absolute_url())
    assert meeting.context["minutes"] is None
    proposal = ProposalFactory()
    assert not client.get(proposal.get_absolute_url()).context["show_internal_notes"]
    client.force_login(second_factor(staff_without_mfa))
    assert client.get(proposal.get_absolute_url()).context["show_internal_notes"]


def test_a_refusal_that_the_second_factor_would_not_lift_stays_a_refusal(
    client, staff_without_mfa, citizen
):
    """Editing a citizen's proposal is the citizen's alone: no set-up page, a 403."""
    proposal = ProposalFactory(author=citizen)
    client.force_login(staff_without_mfa)
    assert client.get(reverse("proposals:proposal_edit", args=[proposal.pk])).status_code == 403


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_admin_sends_staff_without_a_second_factor_to_set_it_up(
    client, staff_without_mfa, language
):
    """In either language: the English admin (/en/admin/) is the same admin."""
    client.force_login(staff_without_mfa)
    with translation.override(language):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_a_staff_lead_without_a_second_factor_keeps_only_the_lead_s_powers(
    client, council_work, lead
):
    """A staff account that also leads a group files inspections for its own group only."""
    from tests.factories import WorkingGroupFactory

    council_work["commitment"].working_groups.add(WorkingGroupFactory(slug="other"))
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    client.force_login(lead)
    url = reverse("proposals:inspection_create", args=[council_work["commitment"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["form"].fields["group"].queryset) == [council_work["group"]]
