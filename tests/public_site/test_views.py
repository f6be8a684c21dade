import re

import pytest
from django.urls import reverse

from tests.factories import CommitteeMemberFactory


def test_home_names_the_council_in_korean(client, council):
    html = client.get("/").content.decode()
    assert '<html lang="ko">' in html
    assert council.name in html
    assert "운영위원회" in html


def test_home_in_english(client, council):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Steering committee" in html


@pytest.mark.parametrize("url", ["/", "/en/", "/council/committee/", "/accounts/login/"])
def test_every_page_has_the_accessible_layout(client, council, url):
    html = client.get(url).content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert 'class="language-switcher' in html


def test_static_libraries_are_served_locally(client, council):
    html = client.get("/").content.decode()
    assert "/static/krds/css/component/output.css" in html
    assert "//cdn" not in html and "https://" not in html.split("<main")[0]


def test_the_language_switcher_switches_to_english(client, council):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/en/"


@pytest.mark.parametrize("members", [2, 20])
def test_home_query_count_does_not_grow(client, council, members, django_assert_max_num_queries):
    CommitteeMemberFactory.create_batch(members, council=council)
    # At most: the version of the records, kept a second in the cache, is read again or not.
    with django_assert_max_num_queries(28):
        client.get("/")


def test_home_lists_the_demo_examples_apart_from_the_recorded_history(client, demo):
    html = client.get("/").content.decode()
    history = html[html.index('id="timeline-title"') : html.index('id="demo-title"')]
    examples = html[html.index('id="demo-title"') :]
    assert "광주시 OGP 가입" in history
    assert "(데모)" not in history
    assert "공모 시작: OGP 실행계획 시민 제안 공모 (데모)" in examples
    assert "데모" in examples[: examples.index("</h2>")]


def test_the_tracker_says_why_each_red_quarter_is_red(client, demo):
    html = client.get(reverse("tracker")).content.decode()
    reasons = re.findall(r"<li>(\d{4} Q\d: [^<]+)</li>", html)
    assert reasons and all("정기회의" in reason for reason in reasons)
    committee = client.get(reverse("councils:committee")).content.decode()
    assert "개최 기록 없음" in committee
    assert committee.count("분기가 끝났") >= len(reasons)
