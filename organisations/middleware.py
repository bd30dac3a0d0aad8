"""One middleware for tenancy, time zone and language.

It resolves the tenant from the URL (``/<tenant>/...``), answers 404 for an
unknown one, sets ``request.tenant`` and ``request.membership``, activates the
tenant's time zone and the person's language, and runs the view, including
template rendering, inside the tenant's django-scopes scope. Requests outside
a tenant run in an empty scope, so a tenant-owned query there raises instead
of leaking; only the operator's admin runs with scopes disabled.

The staff sections of a tenant (``/<tenant>/manage/...`` and ``/<tenant>/hr/...``) are closed
here, before any view runs: anonymous → sign in, signed in but not a member → 404. The views'
own mixins still check the role (403), but a view that forgets its mixin is not open to any
signed-in person.
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django_scopes import scope, scopes_disabled

from . import twofactor
from .models import Tenant
from .selectors import membership_for

SUPPORTED = {code for code, _name in settings.LANGUAGES}
# First path segment after the tenant's slug that only members of the tenant may open.
STAFF_SECTIONS = {"manage", "hr"}


def _language_for(request, tenant):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in SUPPORTED:
        return user.language
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in SUPPORTED:
        return chosen
    if tenant is not None and tenant.default_language in SUPPORTED:
        return tenant.default_language
    return settings.LANGUAGE_CODE


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None

        slug = match.kwargs.get("tenant") if match else None
        tenant = None
        if slug:
            tenant = Tenant.objects.filter(slug=slug, is_active=True).first()

        language = _language_for(request, tenant)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            if slug and tenant is None:
                raise Http404("unknown tenant")
            if tenant is not None:
                response = self._tenant_response(request, tenant)
            elif match is not None and match.app_name == "admin":
                with scopes_disabled():
                    response = self.get_response(request)
            else:
                with scope():
                    response = self.get_response(request)
        finally:
            timezone.deactivate()
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response

    def _tenant_response(self, request, tenant):
        request.tenant = tenant
        timezone.activate(zoneinfo.ZoneInfo(tenant.timezone))
        with scope(tenant=tenant):
            request.membership = membership_for(tenant=tenant, user=request.user)
            section = request.path_info.split("/", 3)[2:3]
            if section and section[0] in STAFF_SECTIONS:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if request.membership is None:
                    # Rendered here, inside the scope, like a view's own 404.
                    return response_for_exception(request, Http404("not a member"))
                if twofactor.must_set_up(request, tenant, request.membership):
                    twofactor.remember_next(request, request.get_full_path())
                    return HttpResponseRedirect(
                        reverse("organisations:two_factor_required", kwargs={"tenant": tenant.slug})
                    )
                if tenant.require_two_factor:
                    # Arrived: the way back after the set-up is no longer offered.
                    request.session.pop(twofactor.SETUP_NEXT, None)
            return self.get_response(request)
