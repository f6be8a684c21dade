from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.contrib.staticfiles import apps as staticfiles_apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OgpPortalConfig(AppConfig):
    name = "ogp_portal"
    verbose_name = _("OGP portal")

    def ready(self):
        # Cache invalidation is a decoupled reaction: a changed public record outdates the
        # cached pages, whichever workflow changed it.
        for label in settings.PAGE_CACHE_RECORDS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                if model._meta.label in settings.PAGE_CACHE_IGNORED_RECORDS:
                    continue
                for signal in (post_save, post_delete, m2m_changed):
                    signal.connect(_record_changed, sender=model, weak=False)


def _record_changed(**kwargs) -> None:
    from .cache import pages_outdate

    pages_outdate()


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on `PortalAdminSite`, which refuses malformed ids with a message."""

    default = False
    default_site = "ogp_portal.admin_site.PortalAdminSite"


class PortalStaticFilesConfig(staticfiles_apps.StaticFilesConfig):
    """Static files without KRDS's unbundled `component.css`, whose icon paths lead nowhere.

    The site links KRDS's bundled `output.css` (common rules and components, with the tokens),
    and the collected files are checked for broken references when they are hashed.
    """

    default = False
    ignore_patterns = [
        *staticfiles_apps.StaticFilesConfig.ignore_patterns,
        "component.css",
        "component.css.map",
    ]
