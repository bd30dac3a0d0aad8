from django.conf import settings
from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.TenantHomeView.as_view(), name="tenant_home"),
    path("manage/", views.DashboardView.as_view(), name="dashboard"),
    path("manage/public-page/", views.TenantPageEditView.as_view(), name="tenant_page_edit"),
    path("manage/organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "manage/organisations/new/",
        views.OrganisationFormView.as_view(),
        name="organisation_create",
    ),
    path(
        "manage/organisations/import/",
        views.OrganisationImportView.as_view(),
        name="organisation_import",
    ),
    path(
        "manage/organisations/<int:pk>/",
        views.OrganisationFormView.as_view(),
        name="organisation_edit",
    ),
    path(
        "manage/organisations/<int:pk>/active/",
        views.OrganisationActiveView.as_view(),
        name="organisation_active",
    ),
    path("manage/team/", views.TeamView.as_view(), name="team"),
    path("manage/team/invite-many/", views.TeamBulkInviteView.as_view(), name="team_invite_many"),
    path("manage/team/<int:pk>/", views.MembershipEditView.as_view(), name="membership_edit"),
    path(
        "manage/team/<int:pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path(
        "manage/invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "manage/invitations/<int:pk>/resend/",
        views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path("manage/activity/", views.ActivityView.as_view(), name="activity"),
    path("manage/outbox/", views.OutboxView.as_view(), name="outbox"),
    path(
        "manage/outbox/<int:pk>/send-again/",
        views.OutboxSendAgainView.as_view(),
        name="outbox_send_again",
    ),
    path("hr/", views.HRHomeView.as_view(), name="hr_home"),
    path(
        "two-factor-required/",
        views.TwoFactorRequiredView.as_view(),
        name="two_factor_required",
    ),
    path("invitation/<str:key>/", views.InvitationView.as_view(), name="invitation"),
    path(
        "invitation/<str:key>/renew/",
        views.InvitationRenewalView.as_view(),
        name="invitation_renew",
    ),
]

# The load test's baseline view (benchmarks/load.py), only when the load run turns it on: no
# deployment and no test has this URL.
if settings.BENCH_BASELINE:
    urlpatterns.append(
        path("manage/bench-baseline/", views.BenchBaselineView.as_view(), name="bench_baseline")
    )
