"""Korean text on a page in another language is marked `lang="ko"`.

The portal's records (names of the council and its members, titles, minutes, proposals) are
written in Korean. On an English page each run of Hangul in the body gets `<span lang="ko">`
unless an element around it already says `lang="ko"`, so that screen readers switch voice and
pronounce it (WCAG 3.1.2). Elements that cannot hold a `<span>` (`<option>`, `<textarea>`, the
text of a chart's SVG) get the attribute themselves. Scripts, styles and the `<head>` are left
as they are.
"""

import re
from html.parser import HTMLParser

CONTENT_LANGUAGE = "ko"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
# From a Hangul letter to the last one before a Latin letter or the end: "회의 (데모)" is one run.
RUN = re.compile(rf"[{HANGUL}](?:[^A-Za-z]*[{HANGUL}])?[)\]」』”’.]?")
HAS_HANGUL = re.compile(rf"[{HANGUL}]")
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
LEFT_ALONE = {"script", "style", "head"}
TEXT_ONLY = {"option", "textarea"}
MARKED_SECTIONS = {"cdata", "rcdata", "temp", "ignore", "include"}


def _written_back(template: str):
    """A parser handler that writes what it is given back into the page, as `template` says."""

    def handle(self, data):
        self.out.append(template.format(data))

    return handle


class _Marker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        # (tag, is Korean, where its start tag is in `out`)
        self.stack: list[tuple[str, bool, int]] = []

    def _korean(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text()
        self.out.append(text)
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        korean = (lang or "").lower().startswith(CONTENT_LANGUAGE) if lang is not None else None
        if korean is None:
            korean = self._korean()
        self.stack.append((tag, korean, len(self.out) - 1))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        self.out.append(self._marked(data))

    def _marked(self, data: str) -> str:
        if self._korean() or not HAS_HANGUL.search(data):
            return data
        tags = {tag for tag, _, _ in self.stack}
        if tags & LEFT_ALONE:
            return data
        tag, _, at = self.stack[-1]
        if tag in TEXT_ONLY or "svg" in tags:
            start = self.out[at]
            self.out[at] = (
                start[: len(tag) + 1] + f' lang="{CONTENT_LANGUAGE}"' + start[len(tag) + 1 :]
            )
            self.stack[-1] = (tag, True, at)
            return data
        return RUN.sub(lambda m: f'<span lang="{CONTENT_LANGUAGE}">{m[0]}</span>', data)

    # Markup that holds no text of the page is written back as it came.
    handle_entityref = _written_back("&{};")
    handle_charref = _written_back("&#{};")
    handle_comment = _written_back("<!--{}-->")
    handle_decl = _written_back("<!{}>")
    handle_pi = _written_back("<?{}>")

    def unknown_decl(self, data):
        # `<![CDATA[…]]>` and the other marked sections close with "]]>", Internet Explorer's
        # conditionals (`<![if …]>`) with "]>"; what they hold is passed through unchanged.
        name = data.split("[", 1)[0].strip().lower()
        self.out.append(f"<![{data}{']]>' if name in MARKED_SECTIONS else ']>'}")


def mark_korean_runs(html: str) -> str:
    """The page with every Korean run outside a `lang="ko"` element marked as Korean."""
    if not HAS_HANGUL.search(html):
        return html
    marker = _Marker()
    marker.feed(html)
    marker.close()
    return "".join(marker.out)
