"""The statements every public site carries: copyright and accessibility."""

from django.conf import settings
from django.views.generic import TemplateView


class CopyrightView(TemplateView):
    """저작권정책: how the portal's texts, data and images may be reused."""

    template_name = "public/copyright.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(licence=settings.OPEN_DATA_LICENCE, **kwargs)


class AccessibilityView(TemplateView):
    """웹접근성 statement: the standard the portal follows, how it is checked, whom to tell."""

    template_name = "public/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=settings.PRIVACY_OFFICER["contact"], **kwargs)
