import datetime as dt

from django import template
from django.urls import translate_url
from django.utils import timezone

register = template.Library()


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
