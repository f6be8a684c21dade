from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("", views.OpinionMapListView.as_view(), name="map_list"),
    path("<int:pk>/", views.OpinionMapView.as_view(), name="map"),
    path("<int:pk>/take-part/", views.TakePartView.as_view(), name="take_part"),
    path("<int:pk>/statements/", views.StatementCreateView.as_view(), name="statement_create"),
    path("statements/<int:pk>/vote/", views.StatementVoteView.as_view(), name="statement_vote"),
    path("statements/<int:pk>/hide/", views.StatementHideView.as_view(), name="statement_hide"),
]
