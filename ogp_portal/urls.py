from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import feeds, views

# The admin signs in through the site's own login: same rate limits, same second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Gwangju OGP Council secretariat")
admin.site.site_title = _("Gwangju OGP Council")

# 400, 403 and 404 are Django's own views with our templates; 500 also answers database outages.
handler500 = "ogp_portal.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("data/<slug:name>.<str:extension>", views.opendata_dataset, name="opendata_dataset"),
    path("feeds/news.atom", feeds.NewsFeed(), name="feed_news"),
    path("feeds/results.atom", feeds.ResultsFeed(), name="feed_results"),
]
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("transparency/", views.TrackerView.as_view(), name="tracker"),
    path("transparency/evidence.zip", views.evidence_package, name="evidence_package"),
    path("data/", views.OpenDataView.as_view(), name="opendata"),
    path("documents/", views.RepositoryView.as_view(), name="repository"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("accounts/", include("allauth.urls")),
    path("council/", include("councils.urls")),
    path("participate/", include("proposals.urls")),
    path("ask/", include("consultations.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
