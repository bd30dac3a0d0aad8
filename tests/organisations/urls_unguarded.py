"""The project's URLs plus staff-section views that forget every guard (for the middleware test)."""

from django.http import HttpResponse
from django.urls import path

from mentorship.urls import urlpatterns as project_urlpatterns


def unguarded(request, tenant):
    return HttpResponse(f"secret of {request.tenant.name}")


urlpatterns = [
    path("<slug:tenant>/manage/unguarded/", unguarded, name="unguarded_manage"),
    path("<slug:tenant>/hr/unguarded/", unguarded, name="unguarded_hr"),
    path("<slug:tenant>/my/unguarded/", unguarded, name="unguarded_my"),
    *project_urlpatterns,
]
