from django.urls import include, path

from . import views

app_name = "consultations"

poll_patterns = [
    path("", views.PollDetailView.as_view(), name="poll_detail"),
    path("vote/", views.PollVoteView.as_view(), name="poll_vote"),
    path("booths/<int:pk>/", views.BoothView.as_view(), name="booth"),
    path("follow/", views.PollFollowView.as_view(), name="poll_follow"),
    path("receipt/", views.ReceiptCheckView.as_view(), name="receipt_check"),
    path("receipts.txt", views.ReceiptListView.as_view(), name="receipt_list"),
    path("result.<str:extension>", views.PollResultsDownloadView.as_view(), name="poll_download"),
]

urlpatterns = [
    path("", views.PollListView.as_view(), name="poll_list"),
    path("<slug:slug>/", include(poll_patterns)),
]
