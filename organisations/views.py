import base64

from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from django_scopes import scope

from mentorship.exporting import private_download
from mentorship.listing import Listing
from mentorship.web import base_url, errors_into_form
from organisations.outbox import send_again

from . import importing, jobs, selectors, services, twofactor
from .access import (
    CoordinatorRequiredMixin,
    HRContactRequiredMixin,
    RoleRequiredMixin,
    TenantMixin,
)
from .activity import describe
from .adapters import allow_signup
from .forms import (
    BulkInvitationForm,
    InvitationForm,
    MembershipForm,
    OrganisationForm,
    OrganisationImportForm,
    ProfileForm,
    TenantPageForm,
)
from .models import ExportJob, Organisation, OutgoingMail, Tenant


class StartView(TemplateView):
    """A signed-in person's start page: every tenant and role they have."""

    template_name = "organisations/start.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        memberships = selectors.memberships_for_user(user)
        ctx["memberships"] = memberships
        ctx["places"] = selectors.start_page_places(user=user, memberships=memberships)
        return ctx


class SetLanguageView(View):
    """Switch language; a signed-in person's choice is remembered on their account."""

    def post(self, request):
        language = request.POST.get("language", "")
        next_url = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = "/"
        response = HttpResponseRedirect(next_url)
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
            if request.user.is_authenticated:
                request.user.language = language
                request.user.save(update_fields=["language"])
        return response


class ProfileView(LoginRequiredMixin, FormView):
    """My details. Reached from a tenant's page (``?tenant=<slug>``), the page keeps that
    tenant's header and the person's links there (a tenant's name is public anyway)."""

    template_name = "organisations/profile.html"
    form_class = ProfileForm

    def dispatch(self, request, *args, **kwargs):
        tenant = self.tenant_context(request)
        if tenant is None:
            return super().dispatch(request, *args, **kwargs)
        request.tenant = tenant
        request.membership = selectors.membership_for(tenant=tenant, user=request.user)
        with scope(tenant=tenant):
            return super().dispatch(request, *args, **kwargs)

    def tenant_context(self, request):
        slug = request.GET.get("tenant", "")[:100]
        if not slug or not request.user.is_authenticated:
            return None
        return Tenant.objects.filter(slug=slug, is_active=True).first()

    def get_success_url(self):
        tenant = getattr(self.request, "tenant", None)
        url = reverse("profile")
        return f"{url}?tenant={tenant.slug}" if tenant else url

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        kwargs["membership"] = getattr(self.request, "membership", None)
        return kwargs

    def form_valid(self, form):
        services.update_profile(
            user=self.request.user,
            **{k: form.cleaned_data[k] for k in ("full_name", "phone", "language")},
        )
        if "application_digest" in form.cleaned_data:
            services.set_application_digest(
                membership=self.request.membership,
                actor=self.request.user,
                enabled=form.cleaned_data["application_digest"],
            )
        if form.cleaned_data["language"]:
            # The next page is in the newly chosen language; so is this confirmation.
            translation.activate(form.cleaned_data["language"])
        messages.success(self.request, _("Your details have been saved."))
        return redirect(self.get_success_url())


class SignupView(AllauthSignupView):
    """allauth's sign-up with the invited address filled in."""

    def get_initial(self):
        initial = super().get_initial()
        email = self.request.session.get("account_verified_email")
        if email:
            initial["email"] = email
        return initial


# --- the tenant's own pages -------------------------------------------------------------


class TenantHomeView(TenantMixin, TemplateView):
    """The tenant's public page."""

    template_name = "organisations/tenant_home.html"


class BenchBaselineView(CoordinatorRequiredMixin, View):
    """The load test's baseline (benchmarks/load.py): what every staff page must do and no more
    (session, user, tenant, membership, one query), so each page's throughput can be read as a
    ratio to it on a noisy machine. Its URL exists only when ``BENCH_BASELINE`` is on."""

    def get(self, request, tenant):
        count = Organisation.objects.filter(tenant=self.tenant).count()
        return HttpResponse(f"ok {count}", content_type="text/plain")


class TenantPageEditView(CoordinatorRequiredMixin, FormView):
    """A coordinator edits the public page's introduction and contact address."""

    template_name = "organisations/tenant_page_form.html"
    form_class = TenantPageForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.tenant
        return kwargs

    def form_valid(self, form):
        services.update_tenant_page(
            tenant=self.tenant,
            actor=self.request.user,
            introduction=form.cleaned_data["introduction"],
            contact_email=form.cleaned_data["contact_email"],
            nominator_name=form.cleaned_data["nominator_name"],
            require_two_factor=form.cleaned_data["require_two_factor"],
            accessibility_shortcomings=form.cleaned_data["accessibility_shortcomings"],
        )
        messages.success(self.request, _("The public page has been saved."))
        return redirect("organisations:tenant_home", tenant=self.tenant.slug)


class DashboardView(CoordinatorRequiredMixin, TemplateView):
    template_name = "organisations/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        tenant = self.tenant
        ctx["organisation_count"] = selectors.organisations_for(
            tenant=tenant, include_inactive=False
        ).count()
        ctx["team_count"] = selectors.team_for(tenant=tenant).count()
        ctx["invitation_count"] = selectors.pending_invitations(tenant=tenant).count()
        ctx["recent_activity"] = [describe(e) for e in selectors.activity_for(tenant=tenant)[:8]]
        return ctx


class OrganisationListView(CoordinatorRequiredMixin, TemplateView):
    template_name = "organisations/organisation_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["organisations"] = list(selectors.organisations_for(tenant=self.tenant))
        return ctx


IMPORT_SALT = "organisations.import"
DOCS = settings.BASE_DIR / "docs"


class OrganisationImportView(CoordinatorRequiredMixin, View):
    """Import the member organisations from a file: check and preview, then confirm.

    The first post checks the file and shows what would be created, changed and invited; the
    file travels to the confirmation signed (so it is the one previewed) and is checked again
    when it is written, all or nothing."""

    template_name = "organisations/organisation_import.html"
    sample = ("sample-organisations.csv", "text/csv; charset=utf-8")

    def render_page(self, form, status=200, **extra):
        context = {
            "form": form,
            "columns": importing.COLUMNS,
            "max_rows": importing.MAX_ROWS,
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, tenant):
        if request.GET.get("download") == "sample":
            name, content_type = self.sample
            response = HttpResponse((DOCS / name).read_bytes(), content_type=content_type)
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return self.render_page(OrganisationImportForm())

    def post(self, request, tenant):
        if request.POST.get("signed"):
            return self.confirm(request)
        form = OrganisationImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is too large. The limit is %(kb)s kB.")
                % {"kb": importing.MAX_BYTES // 1024},
            )
            return self.render_page(form, status=400)
        data = upload.read()
        update_existing = form.cleaned_data["update_existing"]
        plan = importing.preview_organisations(
            tenant=self.tenant, actor=request.user, data=data, update_existing=update_existing
        )
        if not plan.ok:
            return self.render_errors(form, plan, upload.name)
        signed = signing.dumps(
            {
                "data": base64.b64encode(data).decode(),
                "name": upload.name[:200],
                "update": update_existing,
            },
            salt=IMPORT_SALT,
            compress=True,
        )
        return self.render_page(form, plan=plan, signed=signed, filename=upload.name)

    def render_errors(self, form, plan, filename):
        return self.render_page(
            form,
            status=400,
            errors=plan.errors[: importing.MAX_ERRORS_SHOWN],
            more_errors=max(0, len(plan.errors) - importing.MAX_ERRORS_SHOWN),
            error_count=len(plan.errors),
            filename=filename,
        )

    def confirm(self, request):
        form = OrganisationImportForm()
        try:
            payload = signing.loads(request.POST["signed"], salt=IMPORT_SALT, max_age=60 * 60 * 4)
            data = base64.b64decode(payload["data"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            messages.error(request, _("The checked file could not be read again. Upload it anew."))
            return redirect("organisations:organisation_import", tenant=self.tenant.slug)
        plan = importing.import_organisations(
            tenant=self.tenant,
            actor=request.user,
            data=data,
            filename=payload.get("name", ""),
            update_existing=bool(payload.get("update")),
            base_url=base_url(request),
        )
        if not plan.ok:
            return self.render_errors(form, plan, payload.get("name", ""))
        parts = [
            ngettext(
                "%(n)s organisation created.", "%(n)s organisations created.", len(plan.created)
            )
            % {"n": len(plan.created)},
            ngettext(
                "%(n)s organisation updated.", "%(n)s organisations updated.", len(plan.updated)
            )
            % {"n": len(plan.updated)},
        ]
        if plan.invitations:
            parts.append(
                ngettext(
                    "%(n)s HR contact invited.", "%(n)s HR contacts invited.", len(plan.invitations)
                )
                % {"n": len(plan.invitations)}
            )
        messages.success(request, " ".join(parts))
        return redirect("organisations:organisation_list", tenant=self.tenant.slug)


class OrganisationFormView(CoordinatorRequiredMixin, FormView):
    template_name = "organisations/organisation_form.html"
    form_class = OrganisationForm

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(Organisation, tenant=self.tenant, pk=pk)

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.object = self.get_object()
        kwargs = super().get_form_kwargs()
        kwargs["tenant"] = self.tenant
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        return ctx

    def form_valid(self, form):
        try:
            organisation = services.save_organisation(
                tenant=self.tenant, actor=self.request.user, organisation=form.save(commit=False)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s has been saved.") % {"name": organisation.name})
        return redirect("organisations:organisation_list", tenant=self.tenant.slug)


class OrganisationActiveView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, pk):
        organisation = get_object_or_404(Organisation, tenant=self.tenant, pk=pk)
        active = request.POST.get("active") == "1"
        services.set_organisation_active(
            tenant=self.tenant, actor=request.user, organisation=organisation, active=active
        )
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": organisation.name})
        else:
            messages.success(
                request, _("%(name)s has been archived.") % {"name": organisation.name}
            )
        return redirect("organisations:organisation_list", tenant=self.tenant.slug)


class TeamView(CoordinatorRequiredMixin, FormView):
    """Coordinators and HR contacts, pending invitations, and the invitation form."""

    template_name = "organisations/team.html"
    form_class = InvitationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["tenant"] = self.tenant
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["team"] = list(selectors.team_for(tenant=self.tenant))
        ctx["invitations"] = list(selectors.pending_invitations(tenant=self.tenant))
        ctx["renewal_requests"] = list(selectors.renewal_requests(tenant=self.tenant))
        ctx["invitation_days"] = settings.INVITATION_MAX_AGE_DAYS
        ctx.setdefault("bulk_form", BulkInvitationForm(tenant=self.tenant))
        return ctx

    def form_valid(self, form):
        try:
            services.invite(
                tenant=self.tenant,
                actor=self.request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisations=form.cleaned_data["organisations"],
                base_url=base_url(self.request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("organisations:team", tenant=self.tenant.slug)


class TeamBulkInviteView(TeamView):
    """Invite many addresses at once, to the same role, from the team page."""

    def get(self, request, *args, **kwargs):
        return redirect("organisations:team", tenant=self.tenant.slug)

    def post(self, request, *args, **kwargs):
        bulk_form = BulkInvitationForm(request.POST, tenant=self.tenant)
        if bulk_form.is_valid():
            try:
                invitations, skipped = services.invite_many(
                    tenant=self.tenant,
                    actor=request.user,
                    emails=services.split_addresses(bulk_form.cleaned_data["emails"]),
                    role=bulk_form.cleaned_data["role"],
                    organisations=bulk_form.cleaned_data["organisations"],
                    base_url=base_url(request),
                )
            except ValidationError as exc:
                errors_into_form(bulk_form, exc)
            else:
                parts = [
                    ngettext(
                        "%(n)s invitation has been sent.",
                        "%(n)s invitations have been sent.",
                        len(invitations),
                    )
                    % {"n": len(invitations)}
                ]
                if skipped:
                    parts.append(
                        _("Already with this role, not invited again: %(list)s.")
                        % {"list": ", ".join(skipped)}
                    )
                messages.success(request, " ".join(parts))
                return redirect("organisations:team", tenant=self.tenant.slug)
        return self.render_to_response(
            self.get_context_data(form=InvitationForm(tenant=self.tenant), bulk_form=bulk_form),
            status=400,
        )


class InvitationRevokeView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, pk):
        invitation = get_object_or_404(self.tenant.invitations, pk=pk)
        services.revoke_invitation(tenant=self.tenant, actor=request.user, invitation=invitation)
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
        return redirect("organisations:team", tenant=self.tenant.slug)


class InvitationResendView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, pk):
        invitation = get_object_or_404(self.tenant.invitations, pk=pk)
        if invitation.accepted_at:
            messages.error(
                request,
                _("%(email)s has already accepted the invitation.") % {"email": invitation.email},
            )
            return redirect("organisations:team", tenant=self.tenant.slug)
        services.invite(
            tenant=self.tenant,
            actor=request.user,
            email=invitation.email,
            role=invitation.role,
            organisations=invitation.organisations.all(),
            base_url=base_url(request),
        )
        messages.success(
            request, _("A new invitation has been sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("organisations:team", tenant=self.tenant.slug)


class MembershipEditView(CoordinatorRequiredMixin, FormView):
    template_name = "organisations/membership_form.html"
    form_class = MembershipForm

    def get_membership(self):
        return get_object_or_404(
            self.tenant.memberships.select_related("user"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        self.object = self.get_membership()
        kwargs = super().get_form_kwargs()
        kwargs["tenant"] = self.tenant
        kwargs["initial"] = {
            "is_coordinator": self.object.is_coordinator,
            "is_hr_contact": self.object.is_hr_contact,
            "organisations": list(self.object.organisations.all()),
        }
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        return ctx

    def form_valid(self, form):
        try:
            services.update_membership(
                tenant=self.tenant,
                actor=self.request.user,
                membership=self.object,
                is_coordinator=form.cleaned_data["is_coordinator"],
                is_hr_contact=form.cleaned_data["is_hr_contact"],
                organisations=form.cleaned_data["organisations"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The roles of %(name)s have been saved.") % {"name": self.object.user}
        )
        return redirect("organisations:team", tenant=self.tenant.slug)


class MembershipRemoveView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, pk):
        membership = get_object_or_404(self.tenant.memberships.select_related("user"), pk=pk)
        try:
            services.remove_membership(
                tenant=self.tenant, actor=request.user, membership=membership
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("%(name)s no longer has a role here.") % {"name": membership.user}
            )
        return redirect("organisations:team", tenant=self.tenant.slug)


class ActivityView(CoordinatorRequiredMixin, TemplateView):
    template_name = "organisations/activity.html"
    paginate_by = 50
    sorts = {
        "created": (gettext_lazy("When"), ("created_at", "id")),
        "actor": (gettext_lazy("Who"), ("actor__full_name", "actor__email", "id")),
    }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        prefix = self.request.GET.get("kind", "")[:50]
        filters = selectors.activity_filters()
        # "kind" is an action prefix, or one of the named filters (views, refused attempts).
        show, prefix = (prefix, "") if prefix in filters else ("", prefix)
        listing = Listing(
            self.request,
            selectors.activity_for(tenant=self.tenant, action_prefix=prefix, show=show),
            sorts=self.sorts,
            default_sort="-created",
            search=("actor__full_name", "actor__email", "object_repr"),
            page_size=self.paginate_by,
        )
        ctx["listing"] = listing
        ctx["page"] = listing.page
        ctx["entries"] = [describe(e) for e in listing.rows]
        ctx["kind"] = show or prefix
        ctx["show"] = show
        ctx["filters"] = [(key, label) for key, (label, _actions) in filters.items()]
        return ctx


class OutboxView(CoordinatorRequiredMixin, TemplateView):
    """Every mail of the tenant, sent or waiting, with its status (newest first)."""

    template_name = "organisations/outbox.html"
    paginate_by = 50
    sorts = {
        "created": (gettext_lazy("Created"), ("created_at", "id")),
        "recipient": (gettext_lazy("Recipient"), ("to", "id")),
        "subject": (gettext_lazy("Subject"), ("subject", "id")),
        "status": (gettext_lazy("Status"), ("status", "-created_at", "id")),
        "sent": (gettext_lazy("Sent"), ("sent_at", "id")),
    }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in OutgoingMail.Status.values:
            status = ""
        mails = OutgoingMail.objects.filter(tenant=self.tenant).defer("body", "html")
        if status:
            mails = mails.filter(status=status)
        listing = Listing(
            self.request,
            mails,
            sorts=self.sorts,
            default_sort="-created",
            search=("to", "subject"),
            page_size=self.paginate_by,
        )
        ctx["listing"] = listing
        ctx["page"] = listing.page
        ctx["status"] = status
        ctx["statuses"] = OutgoingMail.Status.choices
        ctx["failed"] = OutgoingMail.Status.FAILED
        return ctx


class OutboxSendAgainView(CoordinatorRequiredMixin, View):
    """A failed mail gets a fresh round of attempts."""

    def post(self, request, tenant, pk):
        mail = get_object_or_404(OutgoingMail, tenant=self.tenant, pk=pk)
        if send_again(mail=mail):
            services.log_activity(
                tenant=self.tenant, actor=request.user, action="mail.sent_again", obj=mail
            )
            messages.success(request, _("The mail will be sent again."))
        else:
            messages.info(request, _("This mail has not failed; there is nothing to send again."))
        return redirect("organisations:outbox", tenant=self.tenant.slug)


class HRHomeView(HRContactRequiredMixin, TemplateView):
    template_name = "organisations/hr_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["organisations"] = list(self.membership.organisations.all())
        return ctx


class TwoFactorRequiredView(RoleRequiredMixin, TemplateView):
    """Where the tenant's two-factor policy sends a coordinator or HR contact who has no
    second factor yet (organisations.twofactor): why, how, and the way back afterwards."""

    template_name = "organisations/two_factor_required.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["has_second_factor"] = twofactor.has_second_factor(self.request)
        ctx["continue_to"] = twofactor.pending_next(self.request)
        ctx["is_required"] = self.tenant.require_two_factor and (
            self.membership.is_coordinator or self.membership.is_hr_contact
        )
        return ctx


# --- invitations ------------------------------------------------------------------------


class InvitationView(TenantMixin, View):
    """The link in an invitation mail."""

    template_name = "organisations/invitation.html"

    def get(self, request, tenant, key):
        try:
            invitation = services.resolve_invitation(tenant=self.tenant, key=key)
        except services.InvitationError as error:
            return self._problem(request, error, key)
        if not request.user.is_authenticated:
            # Following the link proves the address: sign-up opens and the address counts as verified.
            allow_signup(request, reason="invitation")
            from allauth.account.adapter import get_adapter

            get_adapter(request).stash_verified_email(request, invitation.email)
        elif request.user.email.lower() != invitation.email.lower():
            error = services.InvitationError(
                "wrong_user",
                _(
                    "You are signed in as %(current)s, but the invitation was sent to %(invited)s. "
                    "Sign out and open the link again, or ask for an invitation to your own address."
                )
                % {"current": request.user.email, "invited": invitation.email},
                invitation,
            )
            return self._problem(request, error, key, status=403)
        return render(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "key": key,
                "next": request.get_full_path(),
            },
        )

    def post(self, request, tenant, key):
        if not request.user.is_authenticated:
            return redirect(request.get_full_path())
        try:
            invitation = services.resolve_invitation(tenant=self.tenant, key=key)
            services.accept_invitation(tenant=self.tenant, invitation=invitation, user=request.user)
        except services.InvitationError as error:
            return self._problem(
                request, error, key, status=403 if error.code == "wrong_user" else 410
            )
        messages.success(request, _("Welcome to %(tenant)s.") % {"tenant": self.tenant.name})
        return redirect("start")

    def _problem(self, request, error, key, status=410):
        return render(
            request,
            "organisations/invitation_problem.html",
            {
                "error": error,
                "key": key,
                "can_request_new": error.invitation is not None and error.code != "wrong_user",
            },
            status=status if error.code != "tampered" else 400,
        )


class InvitationRenewalView(TenantMixin, View):
    """Ask the coordinators for a new invitation (expired, used or withdrawn link)."""

    def post(self, request, tenant, key):
        try:
            services.resolve_invitation(tenant=self.tenant, key=key)
        except services.InvitationError as error:
            if error.invitation is None:
                raise Http404 from error
            # A fixed request, no text of the person's: the link is all they need to hold.
            services.request_new_invitation(
                tenant=self.tenant, invitation=error.invitation, base_url=base_url(request)
            )
            return render(request, "organisations/invitation_renewal_sent.html", {})
        return redirect(reverse("organisations:invitation", kwargs={"tenant": tenant, "key": key}))


# --- export jobs (organisations.jobs) ---------------------------------------------------------


class JobMixin:
    """An export job of one kind: its status page (htmx fragment while it runs), its "start
    again" button and its download. Shared by every kind; each kind's views (the dossier in
    applications.exports, the round report in reporting.views) set the kind, the URL names,
    the templates, the logged download action and the file's name."""

    job_kind = None
    status_url_name = None
    start_again_url_name = None
    download_action = None

    def get_job(self):
        return get_object_or_404(
            ExportJob.objects.select_related("round", "round__programme", "requested_by"),
            tenant=self.tenant,
            pk=self.kwargs["pk"],
            kind=self.job_kind,
        )

    def download_filename(self, job):
        raise NotImplementedError


class JobStatusView(CoordinatorRequiredMixin, JobMixin, TemplateView):
    """The job's progress. While the job runs, htmx fetches the status fragment again every two
    seconds; with no JavaScript the page offers a "Check again" link (no timed reload)."""

    fragment_template = None

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return [self.fragment_template]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = self.get_job()
        now = timezone.now()
        ctx.update(
            job=job,
            round=job.round,
            # Polled until it is done or failed, also while stuck: the drain picks it up.
            running=job.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING),
            stale=jobs.is_stuck(job, now),
            max_attempts=jobs.max_attempts(),
            start_again_url=reverse(
                self.start_again_url_name, kwargs={"tenant": self.tenant.slug, "pk": job.pk}
            ),
            expired=bool(job.expires_at and job.expires_at <= now),
            percent=int(100 * job.progress / job.total) if job.total else 0,
            status_url=reverse(
                self.status_url_name, kwargs={"tenant": self.tenant.slug, "pk": job.pk}
            ),
        )
        return ctx


class JobStartAgainView(CoordinatorRequiredMixin, JobMixin, View):
    """POST: a failed or stuck job is made anew (jobs.start_again), for the coordinator who
    asks; the page of the job to follow is shown."""

    def post(self, request, *args, **kwargs):
        job = self.get_job()
        new = jobs.start_again(job=job, user=request.user)
        if new is None:
            messages.info(request, _("This job has not failed; there is nothing to start again."))
            new = job
        else:
            messages.success(request, _("Started again."))
        return redirect(self.status_url_name, tenant=self.tenant.slug, pk=new.pk)


class JobDownloadView(CoordinatorRequiredMixin, JobMixin, View):
    """The finished file while it is kept (410 with an explanation after), every download
    logged."""

    expired_template = None

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404
        if job.expires_at is None or job.expires_at <= timezone.now():
            html = render_to_string(
                self.expired_template,
                {
                    "job": job,
                    "round": job.round,
                    "expired": True,
                    "running": False,
                    "tenant": self.tenant,
                },
                request=request,
            )
            return HttpResponse(html, status=410)
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        services.log_activity(
            tenant=self.tenant,
            actor=request.user,
            action=self.download_action,
            obj=job.round,
            data={"format": "pdf", "kind": job.kind, "job": job.pk},
        )
        response = FileResponse(handle, content_type="application/pdf")
        return private_download(response, self.download_filename(job))
