from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data (개인정보 보호법): the inventory and policy, consent, a person's copy of
    their data, account deletion and the retention job."""

    name = "privacy"
    label = "privacy"
    verbose_name = _("Privacy")


class PersonalDataMixin:
    """For the config of an app that holds personal data: its `ready()` registers the app's
    `services.personal_data_export` and `services.personal_data_erase` under its label."""

    def ready(self) -> None:
        super().ready()
        from .services import personal_data_register

        services = import_module(f"{self.name}.services")
        personal_data_register(
            self.label,
            export=services.personal_data_export,
            erase=services.personal_data_erase,
        )
