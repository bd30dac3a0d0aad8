from django.urls import path

from . import views

app_name = "matching"

ROUND = "manage/rounds/<int:round_pk>/matching/"
PROPOSAL = "manage/proposals/<int:pk>/"

urlpatterns = [
    # Coordinators: the round's matching
    path(ROUND, views.MatchingHomeView.as_view(), name="home"),
    path(f"{ROUND}run/", views.RunProposalView.as_view(), name="run"),
    path(f"{ROUND}compare/", views.CompareView.as_view(), name="compare"),
    path(
        f"{ROUND}constraints/<int:pk>/clear/",
        views.ConstraintClearView.as_view(),
        name="constraint_clear",
    ),
    path(f"{ROUND}pairs/", views.PairListView.as_view(), name="pairs"),
    path(f"{ROUND}pairs/<int:pk>/end/", views.EndPairView.as_view(), name="end_pair"),
    path(f"{ROUND}pairs/<int:pk>/cost/", views.PairCostView.as_view(), name="pair_cost"),
    # Coordinators: one proposal
    path(PROPOSAL, views.ProposalView.as_view(), name="proposal"),
    path(f"{PROPOSAL}publish/", views.PublishView.as_view(), name="publish"),
    path(f"{PROPOSAL}adepts/<int:adept_pk>/", views.AdjustView.as_view(), name="adjust"),
    path(f"{PROPOSAL}adepts/<int:adept_pk>/check/", views.CheckPairView.as_view(), name="check"),
    # HR contacts
    path("hr/pairs/", views.HRPairListView.as_view(), name="hr_pairs"),
    path("hr/pairs/<int:pk>/end/", views.HREndPairView.as_view(), name="hr_end_pair"),
]
