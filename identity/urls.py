from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("signed-out/", views.SignedOutView.as_view(), name="signed_out"),
    path("manage/identity-providers/", views.ProviderListView.as_view(), name="provider_list"),
    path(
        "manage/identity-providers/new/<slug:kind>/",
        views.ProviderFormView.as_view(),
        name="provider_create",
    ),
    path(
        "manage/identity-providers/<int:pk>/",
        views.ProviderFormView.as_view(),
        name="provider_edit",
    ),
    path(
        "manage/identity-providers/<int:pk>/delete/",
        views.ProviderDeleteView.as_view(),
        name="provider_delete",
    ),
]
