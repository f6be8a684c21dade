from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public OGP page: front door, tracker, repository, open data, search and feeds."""

    name = "public_site"
    label = "public"
    verbose_name = _("Public OGP page")
