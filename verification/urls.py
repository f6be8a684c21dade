from django.urls import path

from . import views

app_name = "verification"

urlpatterns = [
    path("", views.VerificationListView.as_view(), name="list"),
    path("phone/", views.PhoneVerifyView.as_view(), name="phone"),
    path("resident/", views.ResidentVerifyView.as_view(), name="resident"),
    path("counter/", views.CounterView.as_view(), name="counter"),
    path("residents/", views.ResidentsImportView.as_view(), name="residents_import"),
]
