from django.urls import path

from . import feeds
from .views import (
    home,
    opendata,
    pages,
    participation,
    repository,
    search,
    selfassessment,
    standards,
    transparency,
)

# Machine-readable addresses, the same in every language.
data_patterns = [
    path("data/datapackage.json", standards.datapackage_descriptor, name="datapackage"),
    path("data/popolo/<str:language>.json", standards.popolo_document, name="popolo"),
    path("data/<slug:name>.<str:extension>", opendata.opendata_dataset, name="opendata_dataset"),
    path(
        "transparency/self-assessment.json",
        selfassessment.self_assessment_json,
        name="self_assessment_json",
    ),
    path("feeds/news.atom", feeds.NewsFeed(), name="feed_news"),
    path("feeds/results.atom", feeds.ResultsFeed(), name="feed_results"),
]

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("transparency/", transparency.TrackerView.as_view(), name="tracker"),
    path("transparency/evidence.zip", transparency.evidence_package, name="evidence_package"),
    path(
        "transparency/self-assessment/",
        selfassessment.SelfAssessmentView.as_view(),
        name="self_assessment",
    ),
    path(
        "transparency/records/<slug:key>/",
        transparency.FigureRecordsView.as_view(),
        name="tracker_records",
    ),
    path("data/", opendata.OpenDataView.as_view(), name="opendata"),
    path("documents/", repository.RepositoryView.as_view(), name="repository"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("me/", participation.MyParticipationView.as_view(), name="my_participation"),
    path("copyright/", pages.CopyrightView.as_view(), name="copyright"),
    path("accessibility/", pages.AccessibilityView.as_view(), name="accessibility"),
]
