from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from ogp_portal.privacy.services import personal_data_register

        from . import services

        personal_data_register(
            "proposals",
            export=services.personal_data_export,
            erase=services.personal_data_erase,
        )
