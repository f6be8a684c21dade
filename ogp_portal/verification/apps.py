from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    """How people are verified: e-mail, phone, residents' list, counter, social sign-in."""

    name = "ogp_portal.verification"
    label = "verification"
    verbose_name = _("Verifications")

    def ready(self) -> None:
        from ogp_portal.privacy.services import personal_data_register

        from . import services

        personal_data_register(
            "verification",
            export=services.personal_data_export,
            erase=services.personal_data_erase,
        )
