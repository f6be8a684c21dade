"""The admin's front page as staff meet it: the council's work first, every name in Korean."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import CommitmentFactory, MinutesFactory, ProposalFactory

# A word each app's search goes through its search fields with.
SEARCHES = {"councils": "회의", "proposals": "제안"}


def test_the_council_apps_come_first_and_every_model_has_a_korean_name(staff_client):
    apps = staff_client.get(reverse("admin:index")).context["app_list"]
    labels = [app["app_label"] for app in apps]
    assert labels[:5] == ["councils", "proposals", "plans", "consultations", "outbox"]
    names = {model["object_name"]: str(model["name"]) for app in apps for model in app["models"]}
    assert names["Authenticator"] == "2단계 인증 수단"
    # No model is listed under a name that is English only.
    assert [name for name in names.values() if name.isascii()] == []


def test_the_front_page_lists_what_waits_for_staff_and_links_to_it(staff_client, council):
    import datetime as dt

    from django.utils import timezone

    from outbox.models import Message
    from tests.factories import CallFactory, MeetingFactory, ProposalFactory

    past = timezone.now() - dt.timedelta(days=60)
    closed = CallFactory(opens_at=past - dt.timedelta(days=10), closes_at=past)
    ProposalFactory(call=closed)
    ProposalFactory(call=CallFactory())  # an open call's proposal waits for no response yet
    MeetingFactory(
        council=council,
        group=None,
        starts_at=past,
        ends_at=past + dt.timedelta(hours=2),
        published_at=past,
    )
    Message.objects.create(
        key="x", address="a@example.org", status="failed", due_at=past, subject="안내"
    )

    attention = {
        item.url: item.count
        for item in staff_client.get(reverse("admin:index")).context["attention"]
    }
    assert attention[reverse("admin:proposals_proposal_changelist") + "?response=awaited"] == 1
    assert attention[reverse("admin:councils_meeting_changelist") + "?minutes=overdue"] == 1
    assert attention[reverse("admin:outbox_message_changelist") + "?status__exact=failed"] == 1
    for url, count in attention.items():
        page = staff_client.get(url)
        assert page.status_code == 200
        if "cl" in page.context:  # a filtered admin list shows just as many
            assert page.context["cl"].result_count == count, url


def test_split_date_and_time_inputs_each_have_a_label(staff_client, council):
    html = staff_client.get(reverse("admin:councils_meeting_add")).content.decode()
    for part, label in [("0", "날짜:"), ("1", "시각:")]:
        assert f'<label for="id_starts_at_{part}">{label}</label>' in html
        assert f'id="id_starts_at_{part}"' in html


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in SEARCHES],
    ids=lambda m: m._meta.label,
)
def test_every_model_of_the_councils_and_proposals_has_a_working_admin(staff_client, model, group):
    MinutesFactory(meeting__group=group)
    ProposalFactory()
    CommitmentFactory(proposal=None)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist + "?q=" + SEARCHES[opts.app_label]).status_code == 200
    instance = model.objects.first()
    if instance is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert staff_client.get(change).status_code == 200
