from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from ogp_portal.privacy.services import personal_data_register

        from . import services

        personal_data_register(
            "consultations",
            export=services.personal_data_export,
            erase=services.personal_data_erase,
        )
