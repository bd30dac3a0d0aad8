"""The applications' own links for a person (``mentorship.hooks.PERSONAL_LINKS``): their
drafts ("Continue with your draft"), their submitted applications with the stage, and, for an
HR contact, the applications waiting for their decision, for a coordinator those waiting for
their review. Three queries."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.attention import LIVE_ROUND_STATUSES
from organisations.models import Tenant
from organisations.personal import PersonalLink, tenant_filter
from programmes.models import ParticipantRole, Programme

from .models import Application

Stage = Application.Stage

# An application whose story is over is no longer a link of its own.
FINISHED = (Stage.WITHDRAWN, Stage.DECLINED, Stage.DECLINED_BY_ORGANISATION, Stage.MATCHED)
FINISHED_ROUNDS = ("closed", "archived")


def _context(programme_name, round_name):
    return f"{programme_name}: {round_name}"


def _chooses_a_mentor(application):
    """An accepted adept of a programme where the adept chooses her mentor (seed 003)."""
    return (
        application.stage == Stage.ACCEPTED
        and application.role == ParticipantRole.ADEPT
        and application.round.programme.matching_mode == Programme.MatchingMode.ADEPT_CHOOSES
    )


def personal_links(*, user, tenant):
    links = []
    own = (
        Application.objects.filter(user=user, **tenant_filter(tenant))
        .exclude(stage__in=FINISHED)
        .exclude(round__status__in=FINISHED_ROUNDS)
        .select_related("tenant", "round__programme")
        .order_by("-updated_at")
    )
    for application in own:
        url = reverse(
            "applications:edit",
            kwargs={"tenant": application.tenant.slug, "pk": application.pk},
        )
        context = _context(application.round.programme.name, application.round.name)
        if application.stage == Stage.DRAFT:
            links.append(
                PersonalLink(
                    tenant=application.tenant,
                    text=_("Continue with your draft"),
                    short=_("Your draft"),
                    url=url,
                    context=context,
                    order=10,
                    key="applications.draft",
                )
            )
        else:
            if _chooses_a_mentor(application):
                # Accepted where the adept chooses: the next step is hers, so it comes first.
                links.append(
                    PersonalLink(
                        tenant=application.tenant,
                        text=_("Choose a mentor"),
                        short=_("Choose a mentor"),
                        url=reverse(
                            "matching_requests:mentors",
                            kwargs={"tenant": application.tenant.slug},
                        ),
                        context=context,
                        order=15,
                        key="choosing.choose",
                    )
                )
            links.append(
                PersonalLink(
                    tenant=application.tenant,
                    text=_("Your application: %(stage)s")
                    % {"stage": application.get_stage_display()},
                    short=_("Your application"),
                    url=url,
                    context=context,
                    order=20,
                    key="applications.submitted",
                )
            )
    # The coordinators' reviews: submitted or nominated applications of their live rounds.
    to_review = (
        Application.objects.filter(
            stage__in=(Stage.SUBMITTED, Stage.NOMINATED),
            round__status__in=LIVE_ROUND_STATUSES,
            tenant__memberships__user=user,
            tenant__memberships__is_coordinator=True,
            **tenant_filter(tenant),
        )
        .values("tenant_id", "round_id", "round__name", "round__programme__name", "stage")
        .annotate(n=Count("id", distinct=True))
        .order_by("round__programme__name", "round_id", "stage")
    )
    rows = list(to_review)
    # The HR contact's decisions: applications of their organisations waiting to be nominated.
    waiting = (
        Application.objects.filter(
            stage=Stage.AWAITING_NOMINATION,
            organisation__hr_memberships__user=user,
            organisation__hr_memberships__is_hr_contact=True,
            **tenant_filter(tenant),
        )
        .values("tenant_id", "round_id", "round__name", "round__programme__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("round__programme__name", "round_id")
    )
    hr_rows = list(waiting)
    tenants = _tenants(tenant, {row["tenant_id"] for row in rows + hr_rows})
    for row in rows:
        the_tenant = tenants[row["tenant_id"]]
        url = reverse(
            "applications:review_list",
            kwargs={"tenant": the_tenant.slug, "round_pk": row["round_id"]},
        )
        links.append(
            PersonalLink(
                tenant=the_tenant,
                text=ngettext(
                    "%(count)d application waits for your review",
                    "%(count)d applications wait for your review",
                    row["n"],
                )
                % {"count": row["n"]},
                short=_("To review"),
                url=f"{url}?stage={row['stage']}",
                context=_context(row["round__programme__name"], row["round__name"]),
                order=6,
                key="applications.to_review",
            )
        )
    if hr_rows:
        for row in hr_rows:
            the_tenant = tenants[row["tenant_id"]]
            url = reverse(
                "applications:hr_list",
                kwargs={"tenant": the_tenant.slug, "round_pk": row["round_id"]},
            )
            links.append(
                PersonalLink(
                    tenant=the_tenant,
                    text=ngettext(
                        "%(count)d application waits for your decision",
                        "%(count)d applications wait for your decision",
                        row["n"],
                    )
                    % {"count": row["n"]},
                    short=_("Nominations"),
                    url=f"{url}?stage={Stage.AWAITING_NOMINATION}",
                    context=_context(row["round__programme__name"], row["round__name"]),
                    order=5,
                    key="applications.hr_decisions",
                )
            )
    return links


def _tenants(tenant, ids):
    if not ids:
        return {}
    if tenant is not None:
        return {tenant.pk: tenant}
    return {t.pk: t for t in Tenant.objects.filter(pk__in=ids)}
