from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from privacy.apps import PersonalDataMixin


class CouncilsConfig(PersonalDataMixin, AppConfig):
    name = "councils"
    verbose_name = _("Council")

    def ready(self) -> None:
        super().ready()
        from outbox.services import composer_register

        from . import services
        from .models import Notice

        composer_register(
            Notice.COMPOSER,
            compose=services.notice_compose,
            is_void=services.notice_is_void,
        )
