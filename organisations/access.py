"""View guards: anonymous → sign in; not a member → 404; missing role → 403."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import rules


class TenantMixin:
    """For any view under /<tenant>/: exposes ``self.tenant`` and ``self.membership``."""

    def dispatch(self, request, *args, **kwargs):
        self.tenant = request.tenant
        self.membership = request.membership
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The URL's "tenant" kwarg is a slug; templates get the object.
        ctx["tenant"] = self.tenant
        return ctx


class RoleRequiredMixin(TenantMixin):
    """Subclasses set ``permission`` to a predicate from a rules module."""

    permission = staticmethod(rules.is_member)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            # Not telling that the tenant's pages exist to a stranger.
            raise Http404
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        return self.permission(self.request.membership)


class CoordinatorRequiredMixin(RoleRequiredMixin):
    permission = staticmethod(rules.is_coordinator)


class HRContactRequiredMixin(RoleRequiredMixin):
    permission = staticmethod(rules.is_hr_contact)
