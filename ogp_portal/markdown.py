"""Markdown written by people (minutes, debate comments) as the HTML the portal shows.

Rendered with Python-Markdown, then sanitised with nh3: only the tags, attributes and link
schemes listed here survive, so no script or event handler reaches a page.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def markdown_html(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: no script, no event handler, only http(s)/mailto links."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    # Safe to mark: nh3.clean below removes every tag, attribute and URL scheme not allowed
    # above, so no script or event handler survives (ruff S308, bandit B308/B703 reviewed).
    return mark_safe(  # noqa: S308  # nosec B308, B703
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener noreferrer",
        )
    )
