"""Who looked at people's application data: one activity-log row per page view, and one per
refused attempt, written by one mixin (``PersonalDataViewMixin``) on every page that shows such
data (lists and single pages alike).

What a row holds: the page (its URL name), the filter keys used, whether a search was made, and
how many people the page showed. Never the search text or the filter values: a search is often
a name, and the log must not become a second copy of the data it watches. A single page (one
application) names its object, as ``application.viewed`` always has.

A refused attempt (a 404 or 403 raised inside the page, e.g. another organisation's
application, a round of another tenant, a missing role) is logged and answered with the usual
error page. The view returns that page instead of raising, so the request's transaction
(ATOMIC_REQUESTS) commits the log row rather than rolling it back.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import get_resolver
from django.utils.translation import gettext_lazy as _

from . import activity
from .services import log_activity

VIEWED = "personal_data.viewed"
REFUSED = "personal_data.refused"
# Every action that records a look at personal data (the activity page's "views" filter).
VIEW_ACTIONS = (VIEWED, "application.viewed")
# Query parameters that are not filters (the page and the order shown).
NOT_FILTERS = {"page", "sort"}
SEARCH_KEYS = {"q"}

activity.register(
    {
        VIEWED: _("Personal data viewed"),
        REFUSED: _("Refused attempt to see personal data"),
    }
)


class PersonalDataViewMixin:
    """Put it first among a view's bases (before the role mixins, so that their 403/404 is seen
    too). While handling the request the view may set:

    - ``self.viewed_count``: how many people the page showed (lists);
    - ``self.viewed_object``: the object shown (single pages), logged as the row's object;
    - ``self.viewed_as``: the viewer's capacity when it is not plain from the page
      ("coordinator", "hr_contact", "manager", ...).

    ``view_action`` is the action of the row for a successful view (``personal_data.viewed``,
    or ``application.viewed`` for a single application's page).
    """

    view_action = VIEWED

    def dispatch(self, request, *args, **kwargs):
        self.viewed_count = None
        self.viewed_object = None
        self.viewed_as = ""
        try:
            response = super().dispatch(request, *args, **kwargs)
        except (Http404, PermissionDenied) as exc:
            status = 404 if isinstance(exc, Http404) else 403
            self._log_refused(request, status)
            return get_resolver().resolve_error_handler(status)(request, exception=exc)
        if request.method == "GET":
            if response.status_code == 200:
                self._log_viewed(request)
            elif response.status_code in (403, 404, 410):
                self._log_refused(request, response.status_code)
        return response

    def _page(self, request):
        match = request.resolver_match
        return match.view_name if match else request.path

    def _log_viewed(self, request):
        keys = sorted(k for k, v in request.GET.items() if k not in NOT_FILTERS and v.strip() != "")
        data = {"page": self._page(request)}
        filters = [k for k in keys if k not in SEARCH_KEYS]
        if filters:
            data["filters"] = filters
        if any(k in SEARCH_KEYS for k in keys):
            data["searched"] = True
        if self.viewed_count is not None:
            data["shown"] = self.viewed_count
        if self.viewed_as:
            data["as"] = self.viewed_as
        log_activity(
            tenant=request.tenant,
            actor=request.user,
            action=self.view_action,
            obj=self.viewed_object,
            data=data,
        )

    def _log_refused(self, request, status):
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            return
        data = {"page": self._page(request), "status": status, "method": request.method}
        # The numbers in the address (which application was tried), not what they point at.
        ids = {k: v for k, v in self.kwargs.items() if isinstance(v, int)}
        if ids:
            data["ids"] = ids
        log_activity(tenant=tenant, actor=request.user, action=REFUSED, data=data)
