from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from privacy.apps import PersonalDataMixin


class ProposalsConfig(PersonalDataMixin, AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")
