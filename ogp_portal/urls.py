from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin signs in through the site's own login: same rate limits, same second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "광주광역시 OGP 추진 협의회"
admin.site.site_title = "OGP"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", views.set_language, name="set_language"),
]
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include("allauth.urls")),
    path("council/", include("councils.urls")),
    path("participate/", include("proposals.urls")),
    path("ask/", include("consultations.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
