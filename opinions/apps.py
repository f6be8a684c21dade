from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from privacy.apps import PersonalDataMixin


class OpinionsConfig(PersonalDataMixin, AppConfig):
    """Opinion maps: short statements, agree/disagree/pass votes, and the groups they show."""

    name = "opinions"
    verbose_name = _("Opinion maps")
