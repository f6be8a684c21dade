"""The action plan's pages. They live under /participate/ in the proposals' namespace, where
their names and addresses have always been: ogp_portal/urls.py serves these patterns together
with the proposals' (`proposals:plan_detail`, `proposals:commitment_detail` …)."""

from django.urls import include, path

from . import views

commitment_patterns = [
    path("", views.CommitmentDetailView.as_view(), name="commitment_detail"),
    path("inspections/new/", views.InspectionCreateView.as_view(), name="inspection_create"),
]

draft_patterns = [
    path("", views.DraftView.as_view(), name="draft"),
    path("report/", views.DraftReportView.as_view(), name="draft_report"),
    path("report.csv", views.DraftReportCSVView.as_view(), name="draft_report_csv"),
]

draft_comment_patterns = [
    path("answer/", views.DraftCommentAnswerView.as_view(), name="draft_comment_answer"),
    path("report/", views.DraftCommentReportView.as_view(), name="draft_comment_report"),
    path("hide/", views.DraftCommentHideView.as_view(), name="draft_comment_hide"),
]

urlpatterns = [
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<slug:slug>/draft/", include(draft_patterns)),
    path(
        "draft-commitments/<int:pk>/comment/",
        views.DraftCommentCreateView.as_view(),
        name="draft_comment_create",
    ),
    path("draft-comments/<int:pk>/", include(draft_comment_patterns)),
    path("commitments/<int:pk>/", include(commitment_patterns)),
    path("inspection-photos/<int:pk>/", views.InspectionPhotoView.as_view(), name="photo"),
    path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence_file"),
    path(
        "milestones/<int:pk>/completion/",
        views.MilestoneCompletionView.as_view(),
        name="milestone_completion",
    ),
]
