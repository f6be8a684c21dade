from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from privacy.apps import PersonalDataMixin


class ConsultationsConfig(PersonalDataMixin, AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")
