from django.urls import path

from . import views

app_name = "matching_pairwork"

PAIR = "my/pairs/<int:pk>/"

urlpatterns = [
    path(PAIR, views.PairPageView.as_view(), name="pair"),
    path(
        f"{PAIR}agreement/", views.PairPageView.as_view(), {"action": "agreement"}, name="agreement"
    ),
    path(f"{PAIR}confirm/", views.PairPageView.as_view(), {"action": "confirm"}, name="confirm"),
    path(f"{PAIR}meetings/", views.PairPageView.as_view(), {"action": "meeting"}, name="meeting"),
    path(
        f"{PAIR}checklists/<int:checklist_pk>/",
        views.PairPageView.as_view(),
        {"action": "checklist"},
        name="checklist",
    ),
    path(f"{PAIR}plan/", views.PairPageView.as_view(), {"action": "plan"}, name="plan"),
    path(
        f"{PAIR}planned/<int:planned_pk>/cancel/",
        views.PairPageView.as_view(),
        {"action": "cancel_planned"},
        name="cancel_planned",
    ),
    path(
        f"{PAIR}planned/<int:planned_pk>/log/",
        views.PairPageView.as_view(),
        {"action": "log_planned"},
        name="log_planned",
    ),
    path(
        f"{PAIR}end/", views.PairPageView.as_view(), {"action": "request_end"}, name="request_end"
    ),
    path(
        f"{PAIR}end/withdraw/",
        views.PairPageView.as_view(),
        {"action": "withdraw_end"},
        name="withdraw_end",
    ),
]
