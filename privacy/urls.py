from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("my/data/", views.MyDataView.as_view(), name="my_data"),
    path(
        "my/data/extract.pdf",
        views.MyDataDownloadView.as_view(file_format="pdf"),
        name="my_data_pdf",
    ),
    path(
        "my/data/extract.json",
        views.MyDataDownloadView.as_view(file_format="json"),
        name="my_data_json",
    ),
    path("my/data/erase/", views.ErasureRequestView.as_view(), name="erasure_request"),
    path("manage/privacy/retention/", views.RetentionView.as_view(), name="retention"),
    path("manage/privacy/requests/", views.ErasureListView.as_view(), name="erasure_list"),
    path(
        "manage/privacy/requests/<int:pk>/",
        views.ErasureDetailView.as_view(),
        name="erasure_detail",
    ),
    path(
        "manage/privacy/requests/<int:pk>/carry-out/",
        views.ErasureCarryOutView.as_view(),
        name="erasure_carry_out",
    ),
    path(
        "manage/privacy/requests/<int:pk>/decline/",
        views.ErasureDeclineView.as_view(),
        name="erasure_decline",
    ),
    path("manage/privacy/extract/", views.RegisterExtractView.as_view(), name="extract"),
    path(
        "manage/privacy/extract/<int:user_pk>.pdf",
        views.RegisterExtractDownloadView.as_view(file_format="pdf"),
        name="extract_pdf",
    ),
    path(
        "manage/privacy/extract/<int:user_pk>.json",
        views.RegisterExtractDownloadView.as_view(file_format="json"),
        name="extract_json",
    ),
]
