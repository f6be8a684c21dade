from django import template

register = template.Library()


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix))


@register.filter
def public_name(user) -> str:
    """The name a person chose to show; never the account name, which may echo an address."""
    return user.public_name()
