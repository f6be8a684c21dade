from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The action plan: commitments, milestones, progress updates and field inspections."""

    name = "plans"
    verbose_name = _("Action plan")
