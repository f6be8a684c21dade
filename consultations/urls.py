from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.PollListView.as_view(), name="poll_list"),
    path("<slug:slug>/", views.PollDetailView.as_view(), name="poll_detail"),
    path("<slug:slug>/vote/", views.PollVoteView.as_view(), name="poll_vote"),
    path("<slug:slug>/booths/<int:pk>/", views.BoothView.as_view(), name="booth"),
    path("<slug:slug>/follow/", views.PollFollowView.as_view(), name="poll_follow"),
    path("<slug:slug>/receipt/", views.ReceiptCheckView.as_view(), name="receipt_check"),
    path("<slug:slug>/receipts.txt", views.ReceiptListView.as_view(), name="receipt_list"),
    path(
        "<slug:slug>/result.<str:extension>",
        views.PollResultsDownloadView.as_view(),
        name="poll_download",
    ),
]
