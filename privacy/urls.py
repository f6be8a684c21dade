from django.urls import include, path

from . import views

app_name = "privacy"

my_data_patterns = [
    path("", views.MyDataView.as_view(), name="my_data"),
    path("export.json", views.ExportView.as_view(), name="export"),
    path("delete/", views.AccountDeleteView.as_view(), name="delete"),
]

urlpatterns = [
    path("", views.PolicyView.as_view(), name="policy"),
    path("terms/", views.TermsView.as_view(), name="terms"),
    path("consent/", views.ConsentView.as_view(), name="consent"),
    path("my-data/", include(my_data_patterns)),
]
