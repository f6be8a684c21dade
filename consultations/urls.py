from django.urls import include, path

from .views import ballots, booths, polls, results

app_name = "consultations"

poll_patterns = [
    path("", polls.PollDetailView.as_view(), name="poll_detail"),
    path("vote/", ballots.PollVoteView.as_view(), name="poll_vote"),
    path("voted/", ballots.poll_voted, name="poll_voted"),
    path("booths/<int:pk>/", booths.BoothView.as_view(), name="booth"),
    path("follow/", polls.PollFollowView.as_view(), name="poll_follow"),
    path("receipt/", results.ReceiptCheckView.as_view(), name="receipt_check"),
    path("receipts.txt", results.ReceiptListView.as_view(), name="receipt_list"),
    path("result.<str:extension>", results.PollResultsDownloadView.as_view(), name="poll_download"),
]

urlpatterns = [
    path("", polls.PollListView.as_view(), name="poll_list"),
    path("<slug:slug>/", include(poll_patterns)),
]
