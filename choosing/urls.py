from django.urls import path

from . import views

# The namespace keeps the name it had inside matching, so every {% url %} stays as it was.
app_name = "matching_requests"

urlpatterns = [
    # The adept: browse the round's mentors and ask one
    path("my/mentors/", views.MentorBrowseView.as_view(), name="mentors"),
    path("my/mentors/<int:pk>/ask/", views.AskView.as_view(), name="ask"),
    path(
        "my/mentors/requests/<int:pk>/withdraw/",
        views.WithdrawView.as_view(),
        name="withdraw",
    ),
    # The mentor: incoming requests
    path("my/requests/", views.IncomingView.as_view(), name="incoming"),
    path("my/requests/<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("my/requests/<int:pk>/decline/", views.DeclineView.as_view(), name="decline"),
]
