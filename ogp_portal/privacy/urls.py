from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.PolicyView.as_view(), name="policy"),
    path("terms/", views.TermsView.as_view(), name="terms"),
    path("consent/", views.ConsentView.as_view(), name="consent"),
    path("my-data/", views.MyDataView.as_view(), name="my_data"),
    path("my-data/export.json", views.ExportView.as_view(), name="export"),
    path("my-data/delete/", views.AccountDeleteView.as_view(), name="delete"),
]
