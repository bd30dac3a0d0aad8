from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from identity import views as identity_views
from organisations import views as org_views


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", org_views.StartView.as_view(), name="start"),
    path("language/", org_views.SetLanguageView.as_view(), name="set_language"),
    path("me/", org_views.ProfileView.as_view(), name="profile"),
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/signup/", org_views.SignupView.as_view(), name="account_signup"),
    # allauth's SAML finish, with a worded refusal of a replayed answer (identity.views).
    path(
        "accounts/saml/<str:organization_slug>/acs/finish/",
        identity_views.saml_finish_acs,
        name="saml_finish_acs",
    ),
    path("accounts/", include("allauth.urls")),
    path("<slug:tenant>/", include("applications.urls")),
    path("<slug:tenant>/", include("matching.urls")),
    path("<slug:tenant>/", include("bank.urls")),
    path("<slug:tenant>/", include("choosing.urls")),
    path("<slug:tenant>/", include("pairs.urls")),
    path("<slug:tenant>/", include("pairs.manage_urls")),
    path("<slug:tenant>/", include("evaluation.urls")),
    path("<slug:tenant>/", include("reporting.urls")),
    path("<slug:tenant>/", include("messaging.urls")),
    path("<slug:tenant>/", include("privacy.urls")),
    path("<slug:tenant>/", include("programmes.urls")),
    path("<slug:tenant>/", include("identity.urls")),
    path("<slug:tenant>/", include("organisations.urls")),
]
