"""A NUL character (%00) in an address is a 400 with the site's page, never a 500 (in a query
string, the page drops or refuses it: tests/test_bad_input.py)."""

import pytest


@pytest.mark.parametrize(
    "path",
    ["/council/groups/%00/", "/en/council/groups/%00/", "/ask/%00/"],
)
def test_a_nul_character_answers_400(client, db, path):
    answer = client.get(path)
    assert answer.status_code == 400
