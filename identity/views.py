from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from mentorship.headers import policy_header
from organisations.access import CoordinatorRequiredMixin, TenantMixin

from . import services
from .adapters import SESSION_TENANT
from .forms import EmailForm, OIDCProviderForm, SAMLProviderForm
from .models import IdentityProvider
from .selectors import providers_for_email

FORMS = {IdentityProvider.Kind.OIDC: OIDCProviderForm, IdentityProvider.Kind.SAML: SAMLProviderForm}


def login_url(provider):
    if provider.kind == IdentityProvider.Kind.OIDC:
        return reverse("openid_connect_login", kwargs={"provider_id": provider.provider_id})
    return reverse("saml_login", kwargs={"organization_slug": provider.app.client_id})


def service_provider_facts(request, *, kind, provider_id):
    """What the identity provider's administrator registers on their side."""
    if kind == IdentityProvider.Kind.OIDC:
        return {
            "redirect_uri": request.build_absolute_uri(
                reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
            ),
        }
    metadata = request.build_absolute_uri(reverse("saml_metadata", args=[provider_id]))
    return {
        "entity_id": metadata,
        "metadata_url": metadata,
        "acs_url": request.build_absolute_uri(reverse("saml_acs", args=[provider_id])),
        "sls_url": request.build_absolute_uri(reverse("saml_sls", args=[provider_id])),
    }


class ProviderListView(CoordinatorRequiredMixin, TemplateView):
    template_name = "identity/provider_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["providers"] = list(
            IdentityProvider.objects.filter(tenant=self.tenant).select_related(
                "app", "organisation"
            )
        )
        ctx["kinds"] = IdentityProvider.Kind.choices
        return ctx


class ProviderFormView(CoordinatorRequiredMixin, FormView):
    template_name = "identity/provider_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs:
            self.object = (
                IdentityProvider.objects.filter(tenant=request.tenant, pk=kwargs["pk"])
                .select_related("app")
                .first()
            )
            if self.object is None:
                raise Http404
            self.kind = self.object.kind
        else:
            self.kind = kwargs["kind"]
            if self.kind not in FORMS:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return FORMS[self.kind]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(tenant=self.tenant, provider=self.object)
        return kwargs

    def get_initial(self):
        p = self.object
        if p is None:
            return {}
        initial = {
            "name": p.name,
            "domains": "\n".join(p.domains),
            "organisation": p.organisation_id,
            "exclusive": p.exclusive,
            "allow_signup": p.allow_signup,
        }
        if p.kind == IdentityProvider.Kind.OIDC:
            initial.update(issuer=p.app.settings.get("server_url", ""), client_id=p.app.client_id)
        else:
            initial.update(
                metadata_url=p.app.settings.get("identity", {}).get("metadata_url", ""),
                entity_id=p.app.settings.get("idp", {}).get("entity_id", ""),
            )
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        provider_id = (
            self.object.provider_id if self.object else services.next_provider_id(self.tenant)
        )
        ctx.update(
            object=self.object,
            kind=self.kind,
            kind_label=IdentityProvider.Kind(self.kind).label,
            facts=service_provider_facts(self.request, kind=self.kind, provider_id=provider_id),
        )
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        if self.kind == IdentityProvider.Kind.OIDC:
            protocol_settings = services.oidc_settings(
                issuer=data["issuer"],
                end_session_endpoint=form.discovery.get("end_session_endpoint", ""),
            )
            extra = {"client_id": data["client_id"], "secret": data["secret"]}
        else:
            protocol_settings = services.saml_settings(
                idp=form.idp, metadata_url=data.get("metadata_url") or ""
            )
            extra = {}
        common = dict(
            tenant=self.tenant,
            actor=self.request.user,
            name=data["name"],
            domains=data["domains"],
            organisation=data["organisation"],
            exclusive=data["exclusive"],
            allow_signup=data["allow_signup"],
            protocol_settings=protocol_settings,
            **extra,
        )
        try:
            if self.object is None:
                provider = services.create_provider(kind=self.kind, **common)
            else:
                provider = services.update_provider(provider=self.object, **common)
        except services.ProviderError as error:
            form.add_error("domains", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(provider)s is saved. Its users can now sign in from this programme's sign-in page."
            )
            % {"provider": provider.name},
        )
        return redirect("identity:provider_edit", tenant=self.tenant.slug, pk=provider.pk)


class ProviderDeleteView(CoordinatorRequiredMixin, TemplateView):
    template_name = "identity/provider_confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = (
            IdentityProvider.objects.filter(tenant=request.tenant, pk=kwargs["pk"]).first()
            if request.tenant is not None
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is None:
            raise Http404
        ctx["object"] = self.object
        return ctx

    def post(self, request, *args, **kwargs):
        if self.object is None:
            raise Http404
        services.delete_provider(tenant=self.tenant, actor=request.user, provider=self.object)
        messages.success(request, _("%(provider)s is removed.") % {"provider": self.object.name})
        return redirect("identity:provider_list", tenant=self.tenant.slug)


class SignInView(TenantMixin, View):
    """The tenant's sign-in: the address first, then its provider or the password."""

    template_name = "identity/sign_in.html"

    def next_url(self, request):
        candidate = request.POST.get("next") or request.GET.get("next") or ""
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
        return reverse("organisations:tenant_home", kwargs={"tenant": self.tenant.slug})

    def get(self, request, tenant):
        return self.show(request, EmailForm())

    def post(self, request, tenant):
        form = EmailForm(request.POST)
        if not form.is_valid():
            return self.show(request, form, status=200)
        email = form.cleaned_data["email"].strip().lower()
        request.session[SESSION_TENANT] = self.tenant.slug
        providers = providers_for_email(tenant=self.tenant, email=email)
        provider = providers[0] if providers else None
        return self.show(
            request,
            form,
            email=email,
            provider=provider,
            provider_login_url=login_url(provider) if provider else "",
            password=provider is None or not provider.exclusive,
        )

    def show(self, request, form, status=200, **extra):
        response = render(
            request,
            self.template_name,
            {"tenant": self.tenant, "form": form, "next": self.next_url(request), **extra},
            status=status,
        )
        provider = extra.get("provider")
        if provider is not None:
            # The provider's button posts here and is redirected to the provider: a browser
            # checks the redirect against form-action too, and a provider may pass the person
            # on to a federated login of its own (Entra ID → ADFS).
            parts = urlsplit(provider_address(provider))
            directives = dict(settings.CONTENT_SECURITY_POLICY)
            directives["form-action"] = [
                "'self'",
                "https:",
                f"{parts.scheme}://{parts.netloc}",
            ]
            response.headers["Content-Security-Policy"] = policy_header(directives)
        return response


class SignedOutView(TenantMixin, TemplateView):
    """After signing out here: the provider's own sign-out, where it has one."""

    template_name = "identity/signed_out.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        provider = None
        pk = self.request.GET.get("provider", "")
        if pk.isdigit():
            provider = (
                IdentityProvider.objects.filter(tenant=self.tenant, pk=int(pk))
                .select_related("app")
                .first()
            )
        ctx["provider"] = provider
        ctx["provider_logout"] = (
            provider.app.settings.get("identity", {}).get("end_session_endpoint", "")
            if provider
            else ""
        )
        return ctx


def provider_address(provider):
    if provider.kind == IdentityProvider.Kind.OIDC:
        return provider.app.settings.get("server_url", "")
    return provider.app.settings.get("idp", {}).get("sso_url", "")


def saml_finish_acs(request, organization_slug):
    """allauth's end of a SAML sign-in, with its refusal of an answer that matches no sign-in
    started here (replayed, or started in another browser) said in words instead of a bare
    403."""
    from allauth.socialaccount.providers.saml.views import finish_acs

    try:
        return finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        return render(request, "socialaccount/authentication_error.html", status=403)
