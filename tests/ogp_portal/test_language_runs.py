"""Korean text on English pages is marked `lang="ko"`, by one mechanism for every page."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from ogp_portal.language_runs import mark_korean_runs
from tests.accessibility import korean_without_lang

SKIPPED = (".csv", ".json", ".txt", ".ics", ".zip", ".xml", ".atom", ".xlsx", ".pdf", ".hwp")


def test_korean_runs_are_marked_where_the_markup_allows_it():
    page = mark_korean_runs(
        '<html lang="en"><head><title>광주</title></head><body>'
        "<h1>Call opened: 시민 제안 공모 (데모) &amp; more</h1>"
        '<select><option value="1">에너지</option></select>'
        '<p lang="ko">이미 한국어</p><svg><text>찬성</text></svg>'
        '<script>const a = "한";</script></body></html>'
    )
    assert '<h1>Call opened: <span lang="ko">시민 제안 공모 (데모)</span> &amp; more</h1>' in page
    assert '<option lang="ko" value="1">에너지</option>' in page
    assert '<p lang="ko">이미 한국어</p>' in page
    assert '<text lang="ko">찬성</text>' in page
    assert "<title>광주</title>" in page and 'const a = "한";' in page


def test_cdata_and_conditional_sections_pass_through_unchanged():
    section = '<svg><style><![CDATA[a<b & "c" > 광주]]></style></svg>'
    page = mark_korean_runs(
        f"<p>광주</p><svg><![CDATA[x < y && z 광주]]></svg>{section}<![if !IE]><p>ok</p><![endif]>"
    )
    assert "<svg><![CDATA[x < y && z 광주]]></svg>" in page
    assert section in page
    assert "<![if !IE]><p>ok</p><![endif]>" in page


def test_korean_pages_are_left_as_they_are(client, council):
    html = client.get("/").content.decode()
    assert '<span lang="ko">' not in html


@pytest.mark.browser
def test_no_korean_run_on_the_english_pages_lacks_lang_ko(page, demo_site, sign_in):
    """Crawls the English site from its front page and reads every text run of every page."""
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    seen, queue, bare = set(), ["/en/", "/en/me/", "/en/search/?q=투표"], {}
    while queue and len(seen) < 45:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            answer = page.goto(url)
        except PlaywrightError:  # a link to a file: a download, not a page
            continue
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        found = korean_without_lang(page)
        if found:
            bare[url] = found[:5]
        for href in page.eval_on_selector_all(
            "a[href^='/en/']:not([download])", "as => as.map(a => a.getAttribute('href'))"
        ):
            path = urlsplit(href).path
            if href not in seen and not path.endswith(SKIPPED) and "/logout" not in path:
                queue.append(href.split("#")[0])
    assert len(seen) >= 30
    assert bare == {}
