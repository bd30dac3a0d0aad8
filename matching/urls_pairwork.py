from django.urls import path

from . import views_pairwork as views

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
        f"{PAIR}checklists/<str:key>/",
        views.PairPageView.as_view(),
        {"action": "checklist"},
        name="checklist",
    ),
]
