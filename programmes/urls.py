from django.urls import path

from . import exports, feeds, views

app_name = "programmes"

urlpatterns = [
    # Public pages and participants
    path("rounds/<int:pk>/", views.PublicRoundView.as_view(), name="public_round"),
    path("rounds/<int:pk>/calendar.ics", feeds.round_feed, name="round_feed"),
    path("meetings/<int:pk>.ics", feeds.meeting_ics, name="meeting_ics"),
    path("calendar/<str:token>.ics", feeds.person_feed, name="person_feed"),
    path("my/", views.ParticipantHomeView.as_view(), name="participant_home"),
    path("my/calendar/renew/", views.RenewFeedView.as_view(), name="renew_feed"),
    path("my/meetings/<int:pk>/answer/", views.RespondView.as_view(), name="respond"),
    # Coordinators
    path("manage/programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("manage/programmes/new/", views.ProgrammeFormView.as_view(), name="programme_create"),
    path(
        "manage/programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"
    ),
    path(
        "manage/programmes/<int:pk>/edit/", views.ProgrammeFormView.as_view(), name="programme_edit"
    ),
    path(
        "manage/programmes/<int:programme>/rounds/new/",
        views.RoundFormView.as_view(),
        name="round_create",
    ),
    path("manage/rounds/<int:pk>/", views.RoundDashboardView.as_view(), name="round_dashboard"),
    path("manage/rounds/<int:pk>/edit/", views.RoundFormView.as_view(), name="round_edit"),
    path(
        "manage/rounds/<int:pk>/status/",
        views.RoundTransitionView.as_view(),
        name="round_transition",
    ),
    path(
        "manage/rounds/<int:pk>/close-applications/",
        views.CloseApplicationsView.as_view(),
        name="round_close_applications",
    ),
    path("manage/rounds/<int:pk>/copy/", views.RoundCopyView.as_view(), name="round_copy"),
    path(
        "manage/rounds/<int:pk>/participants/",
        views.ParticipantListView.as_view(),
        name="participant_list",
    ),
    path(
        "manage/rounds/<int:pk>/meetings/new/",
        views.MeetingFormView.as_view(),
        name="meeting_create",
    ),
    path("manage/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("manage/meetings/<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting_edit"),
    path(
        "manage/meetings/<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"
    ),
    path("manage/meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("manage/meetings/<int:pk>/answers.csv", exports.meeting_answers_csv, name="answers_csv"),
    path("manage/meetings/<int:pk>/answers.pdf", exports.meeting_answers_pdf, name="answers_pdf"),
]
