import datetime as dt

from django import template
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.cache import page_version_current

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
