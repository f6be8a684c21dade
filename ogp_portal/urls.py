from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from plans import urls as plans_urls
from proposals import urls as proposals_urls
from public_site.urls import data_patterns

from . import metrics, views

# The admin signs in through the site's own login: same rate limits, same second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Gwangju OGP Council secretariat")
admin.site.site_title = _("Gwangju OGP Council")

# 400, 403 and 404 are Django's own views with our templates; 500 also answers database outages.
handler500 = "ogp_portal.errors.server_error"
# Rate limits (allauth's sign-in, sign-up and reset; the portal's votes, supports, proposals).
handler429 = "ogp_portal.errors.too_many_requests"

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("metrics", metrics.metrics, name="metrics"),
    *data_patterns,
]
urlpatterns += i18n_patterns(
    # The secretariat's admin speaks the site's languages too: /admin/ and /en/admin/.
    path("admin/", admin.site.urls),
    path("", include("public_site.urls")),
    path(
        "accounts/staff/enrol/<str:token>/",
        views.StaffEnrolView.as_view(),
        name="staff_enrol",
    ),
    path("accounts/name/", views.PublicNameView.as_view(), name="account_public_name"),
    path("accounts/", include("allauth.urls")),
    path("privacy/", include("privacy.urls")),
    path("notifications/", include("outbox.urls")),
    path("verify/", include("verification.urls")),
    path("council/", include("councils.urls")),
    # The action plan's pages keep the names and addresses they had as part of proposals.
    path(
        "participate/",
        include((proposals_urls.urlpatterns + plans_urls.urlpatterns, "proposals")),
    ),
    path("ask/", include("consultations.urls")),
    path("opinions/", include("opinions.urls")),
    prefix_default_language=False,
)

# Uploads are never served from MEDIA_URL, in DEBUG neither: only by the views of what they
# belong to, which check the permission (ogp_portal.uploads.file_response).
