from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data (개인정보 보호법): the inventory and policy, consent, a person's copy of
    their data, account deletion and the retention job."""

    name = "ogp_portal.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
