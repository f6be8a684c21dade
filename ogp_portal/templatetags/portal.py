import datetime as dt
import functools
import hashlib
import re
from pathlib import Path

from django import template
from django.template import engines
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.cache import SHARED_SECONDS, page_version_current, shared

register = template.Library()

# The main navigation, in its order: (URL name, label). The header's menus and the default
# breadcrumb read it.
MAIN_MENU = [
    ("councils:committee", _("Steering committee")),
    ("councils:group_list", _("Working groups")),
    ("proposals:call_list", _("Calls for proposals")),
    ("consultations:poll_list", _("Ask the citizens")),
    ("tracker", _("Transparency")),
    ("repository", _("Documents")),
]


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix))


@register.filter
def public_name(user) -> str:
    """The name a person chose to show; never the account name, which may echo an address."""
    return user.public_name()


@register.filter
def machine(value) -> str:
    """A date or time as `<time datetime>` takes it: local time to the second, with its offset
    (`date:'c'` writes microseconds, which HTML does not allow)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


@register.simple_tag(takes_context=True)
def language_url(context, code: str) -> str:
    """This page in another language: a plain link, so that a cached page can switch language."""
    return translate_url(context["request"].get_full_path(), code)


@register.simple_tag(takes_context=True)
def menu_section(context) -> str:
    """The main navigation's entry whose section the page lies in ("" for none): what the
    header differs by from page to page, hence the key it is kept under (`{% shared %}`)."""
    request = context.get("request")
    path = request.path if request else ""
    return next((name for name, _label in MAIN_MENU if path.startswith(reverse(name))), "")


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The main navigation's entries, each marked active when the page lies in its section."""
    request = context.get("request")
    path = request.path if request else ""
    entries = []
    for name, label in MAIN_MENU:
        url = reverse(name)
        entries.append(
            {"url": url, "label": label, "active": path.startswith(url), "here": path == url}
        )
    return entries


@register.simple_tag
def page_numbers(page) -> list:
    """The page numbers a pagination shows: the ends and one either side of the current page,
    the gaps as the paginator's ellipsis."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.simple_tag
def page_version():
    """The version of the public records (`ogp_portal.cache`). With Django's `{% cache %}`, a
    part of a page that is the same for everyone is rendered once per change of the records:
    `{% page_version as version %}{% cache 60 name version LANGUAGE_CODE %}…{% endcache %}`."""
    return page_version_current()


# A part of a page that is the same for everyone is rendered once per version of the public
# records and language, and kept as HTML (`cache.shared`): a signed-in person's page renders
# only its personal parts around it and in it.
#
#     {% shared "poll" poll.pk seconds=5 using=page_data %} … {% personal %}…{% endpersonal %} …
#     {% endshared %}
#
# A name part that is empty or None turns the block off: it is rendered for each request (a
# view that shares its whole page only with people who hold no powers over it, say).
#
# What the shared part shows may come from a function the view puts in the context (`using`):
# it runs only when the HTML has to be rendered again, and what it returns is added to the
# context for that rendering. A `{% personal %}` part is left as a hole in the kept HTML
# and rendered for each request from the request's context alone (the view's cheap, personal
# context: never a loop variable or anything of `shared_compute`). A hole is named by where its
# tag stands (template and line), the same in every process, so that a block may hold the holes
# of the templates it includes or whose blocks it renders (base.html around a page's content);
# the kept HTML is keyed by a digest of the templates, so that a deploy that moves them never
# fills an old page's holes with new parts. A NUL character marks the holes: no text of the
# site holds one (`NulCharacterMiddleware`, PostgreSQL refuses them).
_RENDERING_SHARED = "portal.shared"
_HOLE = re.compile("\x00([^\x00]+)\x00")
_PERSONAL: dict[str, "PersonalNode"] = {}


@functools.cache
def templates_digest() -> str:
    """A digest of every template the site may render, computed once per process."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in sorted({str(d) for d in engines["django"].template_dirs}):
        for path in sorted(Path(folder).rglob("*.html")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class PersonalNode(template.Node):
    def __init__(self, nodelist, key: str):
        self.nodelist = nodelist
        self.key = key
        _PERSONAL[key] = self

    def render(self, context):
        if context.render_context.get(_RENDERING_SHARED):
            return f"\x00{self.key}\x00"
        return self.nodelist.render(context)


class SharedNode(template.Node):
    def __init__(self, nodelist, parts, seconds, using):
        self.nodelist = nodelist
        self.parts = parts
        self.seconds = seconds
        self.using = using

    def render(self, context):
        if context.get("request") is None or context.render_context.get(_RENDERING_SHARED):
            # The error pages render without a request, and must not touch the cache or the
            # database that may be what failed: rendered as they are. A block inside a block
            # being kept is kept with it.
            return self.render_shared(context)
        parts = [part.resolve(context) for part in self.parts]
        if any(part in ("", None) for part in parts):
            return self.nodelist.render(context)
        name = ":".join(str(part) for part in parts)
        seconds = int(self.seconds.resolve(context)) if self.seconds else SHARED_SECONDS
        html = shared(
            f"html:{templates_digest()}:{name}",
            lambda: self.render_shared(context),
            seconds=seconds,
        )
        if "\x00" not in html:
            return html
        if any(key not in _PERSONAL for key in _HOLE.findall(html)):
            # A hole of a template this process has not read yet (an include the kept HTML
            # spared it): rendered whole this once, which reads it.
            return self.nodelist.render(context)
        return _HOLE.sub(lambda found: _PERSONAL[found[1]].nodelist.render(context), html)

    def render_shared(self, context) -> str:
        compute = context.get(self.using) if self.using else None
        values = compute() if callable(compute) else {}
        # Marked in the render context's own layer: a pushed layer would hide the blocks of the
        # page being rendered (`{% block %}` looks in the top layer only).
        state = context.render_context.dicts[-1]
        rendering = state.get(_RENDERING_SHARED, False)
        state[_RENDERING_SHARED] = context.get("request") is not None
        try:
            with context.push(values):
                return self.nodelist.render(context)
        finally:
            state[_RENDERING_SHARED] = rendering


@register.tag("shared")
def do_shared(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% shared %} needs a name.")
    options = {}
    while bits and bits[-1].partition("=")[0] in {"seconds", "using"}:
        option, _sign, value = bits.pop().partition("=")
        options[option] = value
    seconds = parser.compile_filter(options["seconds"]) if "seconds" in options else None
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(
        nodelist, [parser.compile_filter(bit) for bit in bits], seconds, options.get("using")
    )


@register.tag("personal")
def do_personal(parser, token):
    origin = getattr(parser.origin, "template_name", None) or str(parser.origin)
    on_line = getattr(parser, "_portal_personal", {})
    parser._portal_personal = on_line
    count = on_line[token.lineno] = on_line.get(token.lineno, 0) + 1
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, f"{origin}:{token.lineno}:{count}")
