import datetime as dt

import pytest
from django.urls import reverse

from councils.models import MemberCategory
from tests.factories import CommitteeMemberFactory, CouncilFactory


@pytest.fixture
def council(db):
    return CouncilFactory()


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
    with django_assert_num_queries(3):
        client.get(reverse("councils:committee"))
