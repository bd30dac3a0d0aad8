"""The platform operator's Django admin, signed in through allauth only.

Django admin's own login form checks a password and nothing else: no two-factor step and no
rate limit. Here it never checks a password. Anonymous visitors go to allauth's sign-in
(``secure_admin_login``), which runs the two-factor step and the login rate limits; an admin
page also needs a session in which a person with an authenticator completed that step.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from allauth.account.utils import get_next_redirect_url
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


def two_factor_completed(request):
    """True unless the person has an authenticator but this session skipped its step."""
    user = request.user
    if not is_mfa_enabled(user):
        return True
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class AdminSite(admin.AdminSite):
    site_header = _("Mentor programmes: platform administration")
    site_title = _("Mentor programmes")

    def has_permission(self, request):
        return super().has_permission(request) and two_factor_completed(request)

    def login(self, request, extra_context=None):
        @secure_admin_login
        def signed_in(request):
            # secure_admin_login let through only an active staff member who is signed in.
            next_url = get_next_redirect_url(request) or reverse(
                "admin:index", current_app=self.name
            )
            if not two_factor_completed(request):
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
            return redirect(next_url)

        return signed_in(request)
