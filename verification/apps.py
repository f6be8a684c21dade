from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from privacy.apps import PersonalDataMixin


class VerificationConfig(PersonalDataMixin, AppConfig):
    """How people are verified: e-mail, phone, residents' list, counter, social sign-in."""

    name = "verification"
    label = "verification"
    verbose_name = _("Verifications")

    def ready(self):
        super().ready()
        from . import services  # noqa: F401  connects the staff's alert of the text budget
