from django.urls import path

from . import exports, views

app_name = "applications"

urlpatterns = [
    # Applicants
    path("rounds/<int:round_pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("my/applications/", views.MyApplicationsView.as_view(), name="my_applications"),
    path("my/applications/<int:pk>/", views.ApplicationEditView.as_view(), name="edit"),
    path("my/applications/<int:pk>/autosave/", views.AutosaveView.as_view(), name="autosave"),
    path("my/applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path(
        "my/applications/<int:pk>/manager/",
        views.ResendEndorsementView.as_view(),
        name="resend_endorsement",
    ),
    path(
        "put-forward/<str:token>/", views.PutForwardAcceptView.as_view(), name="put_forward_accept"
    ),
    # The applicant's manager (no account)
    path("endorse/<str:key>/", views.EndorseView.as_view(), name="endorse"),
    # HR contacts
    path("hr/rounds/<int:round_pk>/", views.HRApplicationListView.as_view(), name="hr_list"),
    path(
        "hr/rounds/<int:round_pk>/nominate/",
        views.HRBulkNominateView.as_view(),
        name="hr_bulk_nominate",
    ),
    path("hr/applications/<int:pk>/", views.HRApplicationView.as_view(), name="hr_detail"),
    path(
        "hr/rounds/<int:round_pk>/put-forward/", views.PutForwardView.as_view(), name="put_forward"
    ),
    # Coordinators
    path(
        "manage/rounds/<int:round_pk>/applications/",
        views.ReviewListView.as_view(),
        name="review_list",
    ),
    path("manage/applications/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path(
        "manage/rounds/<int:round_pk>/form/", views.FormBuilderView.as_view(), name="form_builder"
    ),
    path("manage/questions/<int:pk>/", views.QuestionEditView.as_view(), name="question_edit"),
    path(
        "manage/programmes/<int:programme_pk>/themes/", views.ThemeListView.as_view(), name="themes"
    ),
    path(
        "manage/programmes/<int:programme_pk>/fields/",
        views.FieldSettingsView.as_view(),
        name="field_settings",
    ),
    # Exports and imports
    path("manage/applications/<int:pk>/pdf/", exports.application_pdf, name="application_pdf"),
    path("hr/applications/<int:pk>/pdf/", exports.application_pdf, name="hr_application_pdf"),
    path("manage/rounds/<int:round_pk>/export/", exports.ExportView.as_view(), name="export"),
    path("hr/rounds/<int:round_pk>/export/", exports.ExportView.as_view(), name="hr_export"),
    path("manage/rounds/<int:round_pk>/import/", exports.ImportView.as_view(), name="import"),
    path("manage/rounds/<int:round_pk>/dossier/", exports.DossierView.as_view(), name="dossier"),
    path("manage/jobs/<int:pk>/", exports.JobStatusView.as_view(), name="job_status"),
    path(
        "manage/jobs/<int:pk>/start-again/",
        exports.JobStartAgainView.as_view(),
        name="job_start_again",
    ),
    path("manage/jobs/<int:pk>/download/", exports.JobDownloadView.as_view(), name="job_download"),
]
