"""Minutes are Markdown from the lead; nothing executable from them may reach the page."""

from pathlib import Path

import pytest
from django.utils import timezone

from councils.models import Minutes
from tests.factories import MinutesFactory

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]

DOM_AUDIT = """() => {
  const root = document.querySelector('#minutes');
  const problems = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form',
         'input', 'svg', 'math', 'video', 'audio', 'template', 'textarea', 'select']
        .includes(tag)) problems.push('element ' + tag);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) problems.push('handler ' + name);
      if (name === 'style') problems.push('style attribute');
      if (['href', 'src', 'action', 'background', 'data', 'formaction'].includes(name)
          && /^(javascript|vbscript|data):/.test(value)) problems.push(name + '=' + value);
    }
  }
  return problems;
}"""


def test_there_are_at_least_50_payloads():
    assert len(PAYLOADS) >= 50


@pytest.mark.browser
def test_no_payload_in_minutes_reaches_the_page(page, transactional_db):
    minutes = MinutesFactory(status=Minutes.Status.PUBLISHED, published_at=timezone.now())
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    failures = {}
    for payload in PAYLOADS:
        Minutes.objects.filter(pk=minutes.pk).update(
            body=f"본문 앞\n\n{payload}\n\n본문 뒤", decisions=payload, action_items=f"- {payload}"
        )
        page.goto(minutes.get_absolute_url())
        page.wait_for_load_state("load")
        for link in page.locator("#minutes a").all():
            link.hover()
            link.click(modifiers=["Alt"], no_wait_after=True, timeout=1000)
        page.wait_for_timeout(50)
        executed = page.evaluate("() => window.__xss === 1 || parent.__xss === 1")
        problems = page.evaluate(DOM_AUDIT)
        assert page.locator("#minutes").inner_text().count("본문 뒤") == 1
        if executed or problems:
            failures[payload] = (executed, problems)
    assert not dialogs
    assert not failures, failures
