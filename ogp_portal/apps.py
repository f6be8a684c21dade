from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OgpPortalConfig(AppConfig):
    name = "ogp_portal"
    verbose_name = _("OGP portal")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on `PortalAdminSite`, which refuses malformed ids with a message."""

    default = False
    default_site = "ogp_portal.admin_site.PortalAdminSite"
