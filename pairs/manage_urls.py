"""The coordinators' checklist pages (``pairs.manage_views``)."""

from django.urls import path

from . import manage_views as views

app_name = "checklists"

urlpatterns = [
    path(
        "manage/programmes/<int:programme_pk>/checklists/",
        views.ChecklistListView.as_view(),
        name="programme",
    ),
    path(
        "manage/programmes/<int:programme_pk>/checklists/template/",
        views.ChecklistTemplateView.as_view(),
        name="programme_template",
    ),
    path(
        "manage/rounds/<int:round_pk>/checklists/",
        views.ChecklistListView.as_view(),
        name="round",
    ),
    path(
        "manage/rounds/<int:round_pk>/checklists/template/",
        views.ChecklistTemplateView.as_view(),
        name="round_template",
    ),
    path(
        "manage/rounds/<int:round_pk>/checklists/copy-again/",
        views.CopyAgainView.as_view(),
        name="round_copy_again",
    ),
    path("manage/checklists/<int:pk>/", views.ChecklistEditView.as_view(), name="checklist"),
    path("manage/checklists/<int:pk>/items/new/", views.ItemAddView.as_view(), name="item_add"),
    *[
        path(
            f"manage/checklists/<int:pk>/{action}/",
            views.ChecklistActionView.as_view(),
            {"action": action},
            name=f"checklist_{action}",
        )
        for action in ("up", "down", "retire", "restore", "delete")
    ],
    path("manage/checklist-items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    *[
        path(
            f"manage/checklist-items/<int:pk>/{action}/",
            views.ItemActionView.as_view(),
            {"action": action},
            name=f"item_{action}",
        )
        for action in ("up", "down", "retire", "restore", "delete")
    ],
]
