"""Markdown written by people (minutes, debate comments) as the HTML the portal shows.

Rendered with Python-Markdown, then sanitised with nh3: only the tags, attributes and link
schemes listed here survive, so no script or event handler reaches a page.
"""

import html
import unicodedata

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


# Characters that take no visible place of their own: controls (format controls such as
# bidirectional overrides and zero-width spaces among them), combining marks (they show only on
# a letter), and letters or symbols drawn blank: the Hangul fillers and the blank braille cell.
CONTROLS = {"Cf", "Cc", "Co", "Cn"}
INVISIBLE_CATEGORIES = CONTROLS | {"Mn", "Me"}
BLANK_CHARACTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def without_controls(text: str) -> str:
    """A text without control characters (bidirectional overrides, zero-width spaces), its
    spaces collapsed: as a name is kept."""
    kept = "".join(char for char in text if unicodedata.category(char) not in CONTROLS)
    return " ".join(kept.split())


def visible_text(text: str) -> str:
    """What a reader sees of a text: its HTML entities read, characters that take no visible
    place removed, spaces (no-break ones included) collapsed. Empty when nothing would show."""
    kept = "".join(
        char
        for char in html.unescape(text)
        if unicodedata.category(char) not in INVISIBLE_CATEGORIES
        and char not in BLANK_CHARACTERS
    )
    return " ".join(kept.split())
