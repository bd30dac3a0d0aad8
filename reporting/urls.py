from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("manage/rounds/<int:round_pk>/report/", views.RoundReportView.as_view(), name="round"),
    path(
        "manage/rounds/<int:round_pk>/report/pdf/",
        views.ReportStartView.as_view(),
        name="start",
    ),
    path("manage/reports/<int:pk>/", views.ReportJobStatusView.as_view(), name="job_status"),
    path(
        "manage/reports/<int:pk>/start-again/",
        views.ReportJobStartAgainView.as_view(),
        name="job_start_again",
    ),
    path(
        "manage/reports/<int:pk>/download/",
        views.ReportJobDownloadView.as_view(),
        name="job_download",
    ),
    path(
        "manage/programmes/<int:programme_pk>/statistics/",
        views.StatisticsView.as_view(),
        name="statistics",
    ),
]
