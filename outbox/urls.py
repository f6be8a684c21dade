from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.PreferencesView.as_view(), name="preferences"),
    path("mobile/", views.MobileContactView.as_view(), name="mobile"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
