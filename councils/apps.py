from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Council")

    def ready(self) -> None:
        from ogp_portal.outbox.services import composer_register
        from ogp_portal.privacy.services import personal_data_register

        from . import services
        from .models import Notice

        composer_register(
            Notice.COMPOSER,
            compose=services.notice_compose,
            is_void=services.notice_is_void,
        )
        personal_data_register(
            "councils",
            export=services.personal_data_export,
            erase=services.personal_data_erase,
        )
