from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from privacy.apps import PersonalDataMixin


class PlansConfig(PersonalDataMixin, AppConfig):
    """The action plan: commitments, milestones, progress updates and field inspections."""

    name = "plans"
    verbose_name = _("Action plan")
