from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    # Participants
    path("my/surveys/<int:pk>/", views.AnswerView.as_view(), name="answer"),
    # Coordinators
    path(
        "manage/rounds/<int:round_pk>/surveys/",
        views.SurveyListView.as_view(),
        name="survey_list",
    ),
    path("manage/surveys/<int:pk>/", views.SurveyView.as_view(), name="survey"),
    path(
        "manage/surveys/<int:pk>/questions/new/",
        views.QuestionAddView.as_view(),
        name="question_add",
    ),
    path("manage/surveys/<int:pk>/preview/", views.SurveyPreviewView.as_view(), name="preview"),
    path("manage/surveys/<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path(
        "manage/surveys/<int:pk>/results/texts/<uuid:answer_id>/",
        views.TextVisibilityView.as_view(),
        name="text_visibility",
    ),
    # Explicit actions, no catch-all: other apps' pages live under the same prefixes.
    *[
        path(
            f"manage/surveys/<int:pk>/{action}/",
            views.SurveyActionView.as_view(),
            {"action": action},
            name=f"survey_{action}",
        )
        for action in ("publish", "unpublish", "close", "delete")
    ],
    path(
        "manage/survey-questions/<int:pk>/edit/",
        views.QuestionEditView.as_view(),
        name="question_edit",
    ),
    *[
        path(
            f"manage/survey-questions/<int:pk>/{action}/",
            views.QuestionActionView.as_view(),
            {"action": action},
            name=f"question_{action}",
        )
        for action in ("up", "down", "hide", "show", "delete")
    ],
]
