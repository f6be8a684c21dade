from django import template

from ..inventory import inventory

register = template.Library()


@register.inclusion_tag("privacy/consent_summary.html")
def consent_summary() -> dict:
    """What PIPA Art. 15(2) has sign-up say: items, purpose, retention, the right to refuse."""
    data = inventory()
    return {
        "required": data.by_consent(required=True),
        "optional": data.by_consent(required=False),
    }
