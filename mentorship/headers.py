"""Security headers on every response: Content-Security-Policy, Permissions-Policy and,
for pages with personal data, ``Cache-Control: private, no-store``.

No page needs inline scripts or styles (tests/test_no_inline_code.py keeps the templates
so), so the policy allows only the site's own files. Personal data is on every page a
signed-in person sees, on every download, and on the pages opened by a secret link
(an endorsement, an invitation, a calendar feed): none of them may be kept by a browser's or
a proxy's cache. A view that sets its own Cache-Control (the calendar feeds, the exports) keeps
it.
"""

from django.conf import settings
from django.http import FileResponse

from .secret_paths import carries_secret

PRIVATE_NO_STORE = "private, no-store"


def policy_header(directives):
    """``{"default-src": ["'self'"], ...}`` as a header value."""
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


def shows_personal_data(request, response):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if carries_secret(request.path):
        return True
    return isinstance(response, FileResponse) or "attachment" in response.get(
        "Content-Disposition", ""
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.permissions = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        # Django's own error pages for developers (DEBUG only) are styled inline.
        if not (settings.DEBUG and response.status_code in (404, 500)):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        if "Cache-Control" not in response.headers and shows_personal_data(request, response):
            response.headers["Cache-Control"] = PRIVATE_NO_STORE
        return response
