from django import template
from django.urls import translate_url

register = template.Library()


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix))


@register.filter
def public_name(user) -> str:
    """The name a person chose to show; never the account name, which may echo an address."""
    from django.utils.translation import gettext

    return user.get_full_name() or gettext("A participant")


@register.simple_tag(takes_context=True)
def language_url(context, code: str) -> str:
    """This page in another language: a plain link, so that a cached page can switch language."""
    return translate_url(context["request"].get_full_path(), code)
