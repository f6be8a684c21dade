from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("committee/", views.CommitteeView.as_view(), name="committee"),
]
