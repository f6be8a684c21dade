"""The proposals' pages, served under /participate/ in the namespace "proposals" together with
the action plan's (ogp_portal/urls.py)."""

from django.urls import include, path

from .views import calls, debate, pipeline, supports

call_patterns = [
    path("", calls.CallDetailView.as_view(), name="call_detail"),
    path("report/", calls.CallReportView.as_view(), name="call_report"),
    path("follow/", calls.CallFollowView.as_view(), name="call_follow"),
    path("propose/", pipeline.ProposalCreateView.as_view(), name="proposal_create"),
]

proposal_patterns = [
    path("", pipeline.ProposalDetailView.as_view(), name="proposal_detail"),
    path(
        "files/<int:attachment_pk>/",
        pipeline.ProposalAttachmentView.as_view(),
        name="proposal_file",
    ),
    path("edit/", pipeline.ProposalUpdateView.as_view(), name="proposal_edit"),
    path("support/", supports.ProposalSupportView.as_view(), name="proposal_support"),
    path("debate/", debate.DebateView.as_view(), name="debate"),
    path("debate/comment/", debate.CommentCreateView.as_view(), name="comment_create"),
]

comment_patterns = [
    path("edit/", debate.CommentEditView.as_view(), name="comment_edit"),
    path("report/", debate.CommentReportView.as_view(), name="comment_report"),
    path("hide/", debate.CommentHideView.as_view(), name="comment_hide"),
]

urlpatterns = [
    path("calls/", calls.CallListView.as_view(), name="call_list"),
    path("calls/<slug:slug>/", include(call_patterns)),
    path("proposals/<int:pk>/", include(proposal_patterns)),
    path("comments/<int:pk>/", include(comment_patterns)),
]
