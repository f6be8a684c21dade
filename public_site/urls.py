from django.urls import path

from . import data_views, feeds, participation, views

# Machine-readable addresses, the same in every language.
data_patterns = [
    path("data/datapackage.json", data_views.datapackage_descriptor, name="datapackage"),
    path("data/popolo/<str:language>.json", data_views.popolo_document, name="popolo"),
    path("data/<slug:name>.<str:extension>", views.opendata_dataset, name="opendata_dataset"),
    path("feeds/news.atom", feeds.NewsFeed(), name="feed_news"),
    path("feeds/results.atom", feeds.ResultsFeed(), name="feed_results"),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("transparency/", views.TrackerView.as_view(), name="tracker"),
    path("transparency/evidence.zip", views.evidence_package, name="evidence_package"),
    path("data/", views.OpenDataView.as_view(), name="opendata"),
    path("documents/", views.RepositoryView.as_view(), name="repository"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("me/", participation.MyParticipationView.as_view(), name="my_participation"),
    path("copyright/", views.CopyrightView.as_view(), name="copyright"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
]
