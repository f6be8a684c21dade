import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.test import override_settings

from councils.models import CommitteeMember, Council, MemberCategory


def snapshot() -> str:
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "councils",
            "proposals",
            "consultations",
            "auth",
            "account",
        }
    ]
    return serializers.serialize(
        "json", [obj for model in models for obj in model.objects.order_by("pk")]
    )


def test_demo_reproduces_the_council_of_the_source_document(demo):
    council = Council.objects.get()
    assert council.name == "광주광역시 열린정부파트너십(OGP) 추진 협의회"
    assert (council.operating_start.isoformat(), council.operating_end.isoformat()) == (
        "2021-05-01",
        "2022-07-31",
    )
    assert [d.keyword for d in council.directions.all()] == ["조직연계", "시민참여", "시민소통"]


def test_demo_has_the_17_committee_members_of_annex_1(demo):
    members = list(CommitteeMember.objects.order_by("display_order"))
    assert len(members) == 17
    assert [m.display_order for m in members] == list(range(1, 18))
    first, last = members[0], members[-1]
    assert (first.category, first.affiliation, first.position, first.name, first.note) == (
        MemberCategory.CITY,
        "혁신소통기획관",
        "기획관",
        "주재희",
        "총괄",
    )
    assert (last.category, last.affiliation, last.name, last.note) == (
        MemberCategory.BUSINESS,
        "폴인사이트",
        "임형문",
        "여론조사",
    )
    counts = {c: sum(m.category == c for m in members) for c in MemberCategory.values}
    assert counts == {
        "city": 2,
        "expert_institution": 1,
        "expert": 2,
        "civil_society": 11,
        "business": 1,
    }


def test_loading_the_demo_twice_changes_nothing(demo):
    before = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_demo_prints_the_accounts_of_every_role(db, capsys):
    with override_settings(DEBUG=True):
        call_command("load_demo")
    out = capsys.readouterr().out
    for word in ("secretariat", "lead", "citizen", "ogp-citizen-2021"):
        assert word in out


def test_demo_refuses_to_run_on_a_live_site(db):
    from django.core.management.base import CommandError

    with override_settings(DEBUG=False), pytest.raises(CommandError):
        call_command("load_demo", verbosity=0)
