from django.urls import path

from . import views

app_name = "round_messages"

urlpatterns = [
    path("manage/rounds/<int:round_pk>/messages/", views.MessageListView.as_view(), name="list"),
    path(
        "manage/rounds/<int:round_pk>/messages/new/",
        views.MessageComposeView.as_view(),
        name="compose",
    ),
    path(
        "manage/rounds/<int:round_pk>/messages/<int:pk>/",
        views.MessageDetailView.as_view(),
        name="detail",
    ),
]
