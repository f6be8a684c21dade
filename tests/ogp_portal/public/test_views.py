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
def test_home_query_count_does_not_grow(client, council, members, django_assert_num_queries):
    CommitteeMemberFactory.create_batch(members, council=council)
    with django_assert_num_queries(26):
        client.get("/")
