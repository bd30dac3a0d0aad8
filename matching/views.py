"""The coordinator's matching pages and the end-pair pages (coordinators and HR contacts).

Every object is fetched through the tenant (``tenant=self.tenant``): another tenant's object is a
404. The services do the work; these views only choose what to call and what to show.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from applications import services as application_services
from applications.models import Application
from mentorship.listing import Listing
from mentorship.web import errors_into_form
from organisations import rules
from organisations.access import CoordinatorRequiredMixin, HRContactRequiredMixin
from organisations.viewlog import PersonalDataViewMixin
from pairs import services as pair_services
from pairs.models import Pair
from programmes.models import ParticipantRole, Round

from . import criteria, selectors, services
from .attention import unconfirmed_after_weeks
from .forms import (
    CompareForm,
    ConstraintForm,
    EndPairForm,
    PairCostForm,
    ReassignForm,
    RunForm,
    SettingsForm,
)
from .models import PairConstraint, Proposal, ProposedPair

CRITERION_KEYS = [p.key for p in criteria.PREFERENCES]
CRITERION_LABELS = {p.key: p.label for p in criteria.PREFERENCES}
CRITERION_LABELS.update(
    pin=gettext_lazy("Pinned"),
    hard_rules=gettext_lazy("Hard rules overridden"),
)


def _round_or_404(tenant, pk):
    return get_object_or_404(Round.objects.select_related("programme"), tenant=tenant, pk=pk)


def _proposal_or_404(tenant, pk, *, with_pairs=True):
    try:
        return selectors.get_proposal(tenant=tenant, pk=pk, with_pairs=with_pairs)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


def _explanation_rows(explanation, memo=None):
    """[(label, points, reason)] in a stable order: the preferences, then pin and overrides.

    ``memo``: a dict shared by the rows of one page, so that each label is translated and each
    number formatted once per page, not once per pair (``points_text`` is ``points`` as the
    ``floatformat:1`` filter shows it)."""
    memo = {} if memo is None else memo
    labels = memo.get("labels")
    if labels is None:
        labels = memo["labels"] = {key: str(label) for key, label in CRITERION_LABELS.items()}
    rows = []
    for key in [*CRITERION_KEYS, "pin", "hard_rules"]:
        item = (explanation or {}).get(key)
        if isinstance(item, dict):
            points = item.get("points", 0)
            text = memo.get(("points", points))
            if text is None:
                text = memo[("points", points)] = floatformat(points, 1)
            rows.append(
                {
                    "key": key,
                    "label": labels.get(key, key),
                    "points": points,
                    "points_text": text,
                    "reason": item.get("reason", ""),
                    "scored": key not in ("pin", "hard_rules"),
                }
            )
    return rows


# Why an adept is left without a mentor (the ``kind`` of a proposal's unmatched entry).
UNMATCHED_KINDS = {
    "excluded": gettext_lazy("Every mentor excluded by a hard rule"),
    "capacity": gettext_lazy("Capacity ran out"),
    "limit": gettext_lazy("The round's pair limit"),
    "no_mentors": gettext_lazy("No mentor with a free place"),
    "removed": gettext_lazy("Taken out by hand"),
}
UNMATCHED_SORTS = {
    "name": (gettext_lazy("Adept"), lambda e: (str(e.get("name", "")).casefold(), e["adept"])),
    "kind": (
        gettext_lazy("Why"),
        lambda e: (str(UNMATCHED_KINDS.get(e.get("kind"), "")).casefold(), e["adept"]),
    ),
}


def _unmatched_search(entry, text):
    return text in str(entry.get("name", "")).casefold()


def _messages_from(request, exc):
    for message in exc.messages:
        messages.error(request, message)


# --- the round's matching page: settings, run, proposals, pins and forbids -------------------


class MatchingHomeView(CoordinatorRequiredMixin, View):
    template_name = "matching/home.html"

    def render_page(self, round_, settings_form=None, run_form=None, status=200):
        proposals = list(
            selectors.proposals_for(tenant=self.tenant, round_=round_).order_by(
                "-created_at", "-id"
            )
        )
        ctx = {
            "round": round_,
            "settings_form": settings_form
            or SettingsForm(instance=selectors.settings_for(round_=round_)),
            "run_form": run_form or RunForm(),
            "compare_form": CompareForm(
                round_=round_,
                initial={
                    "a": proposals[1].pk if len(proposals) > 1 else None,
                    "b": proposals[0].pk if proposals else None,
                },
            ),
            "proposals": proposals,
            "constraints": list(
                selectors.constraints_of_round(tenant=self.tenant, round_=round_).order_by(
                    "kind", "created_at", "id"
                )
            ),
            "active_pairs": selectors.active_pair_count(round_),
            "closed": round_.status in (round_.Status.CLOSED, round_.Status.ARCHIVED),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, tenant, round_pk):
        return self.render_page(_round_or_404(self.tenant, round_pk))

    def post(self, request, tenant, round_pk):
        """Save the settings."""
        round_ = _round_or_404(self.tenant, round_pk)
        form = SettingsForm(request.POST, instance=selectors.settings_for(round_=round_))
        if form.is_valid():
            try:
                services.save_settings(
                    tenant=self.tenant, actor=request.user, round_=round_, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(request, _("The matching settings have been saved."))
                return redirect("matching:home", tenant=tenant, round_pk=round_pk)
        return self.render_page(round_, settings_form=form, status=400)


class RunProposalView(CoordinatorRequiredMixin, View):
    """Compute a new proposal with the round's settings, pins and forbids (also "recompute")."""

    def post(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        form = RunForm(request.POST)
        name = form.cleaned_data["name"] if form.is_valid() else ""
        try:
            proposal = services.run_proposal(
                tenant=self.tenant, actor=request.user, round_=round_, name=name
            )
        except ValidationError as exc:
            _messages_from(request, exc)
            return redirect("matching:home", tenant=tenant, round_pk=round_pk)
        messages.success(
            request,
            _("“%(name)s” has been computed: %(matched)s pairs, %(unmatched)s adepts unmatched.")
            % {
                "name": proposal.name,
                "matched": proposal.summary.get("matched", 0),
                "unmatched": proposal.summary.get("unmatched", 0),
            },
        )
        return redirect("matching:proposal", tenant=tenant, pk=proposal.pk)


class ConstraintClearView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, round_pk, pk):
        round_ = _round_or_404(self.tenant, round_pk)
        constraint = get_object_or_404(PairConstraint, tenant=self.tenant, round=round_, pk=pk)
        services.set_constraint(
            tenant=self.tenant,
            actor=request.user,
            round_=round_,
            mentor_app=constraint.mentor,
            adept_app=constraint.adept,
            kind="clear",
        )
        messages.success(request, _("The pin or forbid has been removed."))
        return redirect("matching:home", tenant=tenant, round_pk=round_pk)


class CompareView(CoordinatorRequiredMixin, View):
    template_name = "matching/compare.html"

    def get(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        form = CompareForm(request.GET or None, round_=round_)
        ctx = {"round": round_, "form": form}
        if form.is_valid():
            a = _proposal_or_404(self.tenant, form.cleaned_data["a"].pk)
            b = _proposal_or_404(self.tenant, form.cleaned_data["b"].pk)
            ctx.update(a=a, b=b, **self.compare(a, b))
        status = 400 if form.is_bound and not form.is_valid() else 200
        return render(request, self.template_name, ctx, status=status)

    @staticmethod
    def compare(a, b):
        in_a = {p.adept_id: p for p in a.pairs.all()}
        in_b = {p.adept_id: p for p in b.pairs.all()}
        adepts = {}
        for p in list(in_a.values()) + list(in_b.values()):
            adepts[p.adept_id] = p.adept
        for proposal in (a, b):
            for entry in (proposal.summary or {}).get("unmatched_reasons", []):
                adepts.setdefault(entry.get("adept"), entry.get("name", ""))
        rows = []
        for adept_id, adept in adepts.items():
            name = adept if isinstance(adept, str) else (adept.full_name or adept.email)
            pa, pb = in_a.get(adept_id), in_b.get(adept_id)
            rows.append(
                {
                    "adept": name,
                    "a": pa,
                    "b": pb,
                    "differs": (pa.mentor_id if pa else None) != (pb.mentor_id if pb else None),
                }
            )
        rows.sort(key=lambda r: (not r["differs"], r["adept"].lower()))
        return {
            "rows": rows,
            "differing": sum(1 for r in rows if r["differs"]),
            "total_a": round(sum(p.score for p in in_a.values()), 2),
            "total_b": round(sum(p.score for p in in_b.values()), 2),
        }


# --- one proposal ---------------------------------------------------------------------------


class ProposalView(PersonalDataViewMixin, CoordinatorRequiredMixin, View):
    template_name = "matching/proposal.html"

    sorts = {
        "score": (gettext_lazy("Score"), ("score", "id")),
        "adept": (gettext_lazy("Adept"), ("adept__full_name", "id")),
        "mentor": (gettext_lazy("Mentor"), ("mentor__full_name", "id")),
    }
    search = (
        "adept__full_name",
        "adept__email",
        "adept__organisation__name",
        "mentor__full_name",
        "mentor__email",
        "mentor__organisation__name",
    )

    def get(self, request, tenant, pk):
        proposal = _proposal_or_404(self.tenant, pk, with_pairs=False)
        round_ = proposal.round
        listing = Listing(
            request,
            selectors.proposed_pairs_of(tenant=self.tenant, proposal=proposal),
            sorts=self.sorts,
            default_sort="-score",
            search=self.search,
        )
        page = list(listing.rows)
        constraints = {
            (c.mentor_id, c.adept_id): c
            for c in PairConstraint.objects.filter(
                tenant=self.tenant, round=round_, adept_id__in=[p.adept_id for p in page]
            )
        }
        memo = {}
        pairs = [
            {
                "pair": p,
                "rows": _explanation_rows(p.explanation, memo),
                "constraint": constraints.get((p.mentor_id, p.adept_id)),
            }
            for p in page
        ]
        summary = proposal.summary or {}
        unmatched = [
            e for e in summary.get("unmatched_reasons", []) if isinstance(e, dict) and "adept" in e
        ]
        kind = request.GET.get("ukind", "")
        kind = kind if kind in UNMATCHED_KINDS else ""
        unmatched_listing = Listing(
            request,
            [e for e in unmatched if e.get("kind") == kind] if kind else unmatched,
            sorts=UNMATCHED_SORTS,
            default_sort="name",
            search=_unmatched_search,
            prefix="u",
            anchor="unmatched-title",
        )
        for entry in unmatched_listing.rows:
            entry["kind_label"] = UNMATCHED_KINDS.get(entry.get("kind"), "")
        self.viewed_count = len(pairs) + len(unmatched_listing.rows)
        return render(
            request,
            self.template_name,
            {
                "proposal": proposal,
                "round": round_,
                "summary": summary,
                "pairs": pairs,
                "listing": listing,
                "pair_count": ProposedPair.objects.filter(
                    tenant=self.tenant, proposal=proposal
                ).count()
                if listing.q
                else listing.count,
                "unmatched": unmatched_listing.rows,
                "unmatched_count": len(unmatched),
                "unmatched_listing": unmatched_listing,
                "unmatched_kinds": list(UNMATCHED_KINDS.items()),
                "unmatched_kind": kind,
                "keep_for_unmatched": [
                    (k, v) for k, v in request.GET.items() if k in ("q", "sort", "page")
                ],
                "keep_for_pairs": [
                    (k, v) for k, v in request.GET.items() if k in ("uq", "usort", "upage", "ukind")
                ],
                "problems": summary.get("problems", []),
                "is_draft": proposal.status == Proposal.Status.DRAFT,
                "run_form": RunForm(),
            },
        )


class ProposalAdeptMixin:
    """A draft proposal of this tenant and one of its round's adepts."""

    def load(self):
        self.proposal = _proposal_or_404(self.tenant, self.kwargs["pk"])
        self.round = self.proposal.round
        self.adept = get_object_or_404(
            Application.objects.select_related("organisation"),
            tenant=self.tenant,
            round=self.round,
            role=ParticipantRole.ADEPT,
            pk=self.kwargs["adept_pk"],
        )
        self.current = next(
            (p for p in self.proposal.pairs.all() if p.adept_id == self.adept.pk), None
        )


class AdjustView(CoordinatorRequiredMixin, ProposalAdeptMixin, View):
    """Pin or forbid the adept's proposed pair, or give the adept another mentor by hand."""

    template_name = "matching/adjust.html"

    def render_page(
        self, constraint_form=None, reassign_form=None, breaches=None, mentor=None, status=200
    ):
        constraint = None
        if self.current:
            constraint = PairConstraint.objects.filter(
                tenant=self.tenant,
                round=self.round,
                mentor_id=self.current.mentor_id,
                adept=self.adept,
            ).first()
        unmatched = next(
            (
                r
                for r in (self.proposal.summary or {}).get("unmatched_reasons", [])
                if r.get("adept") == self.adept.pk
            ),
            None,
        )
        return render(
            self.request,
            self.template_name,
            {
                "proposal": self.proposal,
                "round": self.round,
                "adept": self.adept,
                "current": self.current,
                "rows": _explanation_rows(self.current.explanation) if self.current else [],
                "constraint": constraint,
                "unmatched": unmatched,
                "is_draft": self.proposal.status == Proposal.Status.DRAFT,
                "constraint_form": constraint_form
                or ConstraintForm(initial={"kind": constraint.kind if constraint else None}),
                "reassign_form": reassign_form
                or ReassignForm(
                    round_=self.round,
                    initial={"mentor": self.current.mentor_id if self.current else None},
                ),
                "breaches": breaches,
                "mentor": mentor,
            },
            status=status,
        )

    def get(self, request, tenant, pk, adept_pk):
        self.load()
        return self.render_page()

    def post(self, request, tenant, pk, adept_pk):
        self.load()
        action = request.POST.get("action")
        back = redirect("matching:proposal", tenant=tenant, pk=pk)
        if action == "constraint":
            if not self.current:
                raise Http404
            form = ConstraintForm(request.POST)
            if form.is_valid():
                try:
                    services.set_constraint(
                        tenant=self.tenant,
                        actor=request.user,
                        round_=self.round,
                        mentor_app=self.current.mentor,
                        adept_app=self.adept,
                        kind=form.cleaned_data["kind"],
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    errors_into_form(form, exc)
                else:
                    if form.cleaned_data["kind"] == PairConstraint.Kind.PIN:
                        text = _("The pair is pinned. Recompute to apply it.")
                    else:
                        text = _("The pair is forbidden. Recompute to apply it.")
                    messages.success(request, text)
                    return back
            return self.render_page(constraint_form=form, status=400)
        if action == "reassign":
            if self.proposal.status != Proposal.Status.DRAFT:
                messages.error(request, _("This proposal is already published; run a new one."))
                return back
            form = ReassignForm(request.POST, round_=self.round)
            breaches, mentor = None, None
            if form.is_valid():
                mentor = form.cleaned_data["mentor"]
                try:
                    services.reassign(
                        tenant=self.tenant,
                        actor=request.user,
                        proposal=self.proposal,
                        adept_app=self.adept,
                        mentor_app=mentor,
                        override_reason=form.cleaned_data["override_reason"],
                    )
                except ValidationError as exc:
                    errors_into_form(form, exc)
                    breaches = services.check_pair(
                        round_=self.round,
                        mentor_app=mentor,
                        adept_app=self.adept,
                        proposal=self.proposal,
                    )
                    if not form.cleaned_data["override_reason"]:
                        form.add_error(
                            "override_reason",
                            _("This pair breaks a hard rule. To make it anyway, give a reason."),
                        )
                else:
                    if mentor is None:
                        text = _("%(a)s has been taken out of the proposal.")
                    else:
                        text = _("%(a)s now has %(m)s as mentor in this proposal.")
                    messages.success(
                        request,
                        text
                        % {
                            "a": self.adept.full_name or self.adept.email,
                            "m": mentor and (mentor.full_name or mentor.email),
                        },
                    )
                    return back
            return self.render_page(
                reassign_form=form, breaches=breaches, mentor=mentor, status=400
            )
        raise Http404


class CheckPairView(CoordinatorRequiredMixin, ProposalAdeptMixin, View):
    """htmx: the hard rules the chosen mentor would break with this adept (a fragment)."""

    template_name = "matching/check_result.html"

    def get(self, request, tenant, pk, adept_pk):
        self.load()
        mentor_id = request.GET.get("mentor", "")
        mentor = None
        if mentor_id.isdigit():
            mentor = get_object_or_404(
                Application,
                tenant=self.tenant,
                round=self.round,
                role=ParticipantRole.MENTOR,
                pk=int(mentor_id),
            )
        breaches = (
            services.check_pair(
                round_=self.round, mentor_app=mentor, adept_app=self.adept, proposal=self.proposal
            )
            if mentor
            else []
        )
        return render(
            request,
            self.template_name,
            {"mentor": mentor, "adept": self.adept, "breaches": breaches, "checked": True},
        )


class PublishView(CoordinatorRequiredMixin, View):
    template_name = "matching/publish.html"

    def get(self, request, tenant, pk):
        proposal = _proposal_or_404(self.tenant, pk)
        if proposal.status != Proposal.Status.DRAFT:
            messages.info(request, _("This proposal has already been published."))
            return redirect("matching:proposal", tenant=tenant, pk=pk)
        return render(
            request,
            self.template_name,
            {
                "proposal": proposal,
                "round": proposal.round,
                "summary": proposal.summary or {},
                "pair_count": len(proposal.pairs.all()),
            },
        )

    def post(self, request, tenant, pk):
        proposal = _proposal_or_404(self.tenant, pk)
        try:
            pairs = services.publish(tenant=self.tenant, actor=request.user, proposal=proposal)
        except ValidationError as exc:
            _messages_from(request, exc)
            return redirect("matching:proposal", tenant=tenant, pk=pk)
        messages.success(
            request,
            _("The proposal has been published: %(n)s pairs are active and have been told.")
            % {"n": len(pairs)},
        )
        return redirect("matching:pairs", tenant=tenant, round_pk=proposal.round_id)


# --- pairs ------------------------------------------------------------------------------------


def _pair_search(pair, text):
    """A pair matches a search on either person's name, e-mail or organisation."""
    for person in (pair.adept, pair.mentor):
        organisation = person.organisation.name if person.organisation_id else ""
        if any(
            text in (value or "").casefold()
            for value in (person.full_name, person.email, organisation)
        ):
            return True
    return False


def _last(value):
    """A sort key that puts empty values last."""
    return (value is None, value or 0)


PAIR_SORTS = {
    # Those that need the coordinator first: asked to end, then quiet, then the rest.
    "attention": (
        gettext_lazy("Needs attention"),
        lambda p: (p.end_requested_at is None, p.quiet_since is None, p.adept.full_name.casefold()),
    ),
    "adept": (gettext_lazy("Adept"), lambda p: (p.adept.full_name.casefold(), p.pk)),
    "mentor": (gettext_lazy("Mentor"), lambda p: (p.mentor.full_name.casefold(), p.pk)),
    "started": (gettext_lazy("Started"), lambda p: (_last(p.started_at), p.pk)),
    "meetings": (gettext_lazy("Meetings"), lambda p: (p.meeting_count, p.pk)),
    "last_meeting": (gettext_lazy("Last meeting"), lambda p: (_last(p.last_meeting), p.pk)),
}
ENDED_SORTS = {
    "ended": (gettext_lazy("Ended"), lambda p: (_last(p.ended_at), p.pk)),
    "adept": PAIR_SORTS["adept"],
    "mentor": PAIR_SORTS["mentor"],
}


class PairListView(CoordinatorRequiredMixin, View):
    """The round's pairs: figures over all of them, then one page of the active (or, with
    ``show=ended``, the ended) pairs; ``show=quiet``/``asked`` narrows to those needing the
    coordinator. One query for the pairs whatever their number."""

    template_name = "matching/pairs.html"
    shows = ("quiet", "asked", "unconfirmed", "ended")

    def get(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        pairs = selectors.with_activity(
            selectors.pairs_for_list(
                selectors.pairs_of_round(tenant=self.tenant, round_=round_)
                .exclude(status=Pair.Status.PROPOSED)
                .order_by("status", "adept__full_name", "id")
            ),
            round_=round_,
            tenant=self.tenant,
        )
        show = request.GET.get("show", "")
        show = show if show in self.shows else ""
        ended = [p for p in pairs if p.status == Pair.Status.ENDED]
        if show == "ended":
            shown, sorts, default = ended, ENDED_SORTS, "-ended"
        else:
            shown = [p for p in pairs if p.status == Pair.Status.ACTIVE]
            if show == "quiet":
                shown = [p for p in shown if p.quiet_since]
            elif show == "asked":
                shown = [p for p in shown if p.end_requested_at]
            elif show == "unconfirmed":
                now = timezone.now()
                shown = [p for p in shown if unconfirmed_after_weeks(p, now)]
            sorts, default = PAIR_SORTS, "attention"
        listing = Listing(request, shown, sorts=sorts, default_sort=default, search=_pair_search)
        return render(
            request,
            self.template_name,
            {
                "round": round_,
                "listing": listing,
                "active": [] if show == "ended" else listing.rows,
                "ended": listing.rows if show == "ended" else [],
                "ended_count": len(ended),
                "summary": selectors.activity_summary(pairs, minimum=round_.min_pair_meetings),
                "show": show,
                "show_keep": [("show", show)],
                "records_pair_cost": application_services.field_settings(
                    round_.programme
                ).records_pair_cost,
            },
        )


class EndPairMixin:
    template_name = "matching/end_pair.html"
    base_template = "manage_base.html"

    def get_pair(self):  # pragma: no cover - interface
        raise NotImplementedError

    def done_url(self, pair):  # pragma: no cover - interface
        raise NotImplementedError

    def render_page(self, pair, form=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "pair": pair,
                "round": pair.round,
                "form": form or EndPairForm(),
                "base_template": self.base_template,
                "back_url": self.done_url(pair),
                # The reason for a participant's request is addressed to the coordinators.
                "show_request_reason": self.base_template == "manage_base.html",
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_pair())

    def post(self, request, *args, **kwargs):
        pair = self.get_pair()
        form = EndPairForm(request.POST)
        if form.is_valid():
            try:
                services.end_pair(
                    tenant=self.tenant,
                    actor=request.user,
                    pair=pair,
                    reason=form.cleaned_data["end_reason"],
                    note=form.cleaned_data["end_note"],
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(
                    request,
                    _("The pair %(pair)s has ended. Both have been told.") % {"pair": pair},
                )
                return redirect(self.done_url(pair))
        return self.render_page(pair, form=form, status=400)


def _active_pair_qs(tenant):
    return Pair.objects.filter(tenant=tenant, status=Pair.Status.ACTIVE).select_related(
        "round",
        "round__programme",
        "mentor",
        "adept",
        "mentor__organisation",
        "adept__organisation",
        "end_requested_by",
    )


class EndPairView(CoordinatorRequiredMixin, EndPairMixin, View):
    def get_pair(self):
        round_ = _round_or_404(self.tenant, self.kwargs["round_pk"])
        return get_object_or_404(_active_pair_qs(self.tenant), round=round_, pk=self.kwargs["pk"])

    def done_url(self, pair):
        return reverse("matching:pairs", args=[self.tenant.slug, pair.round_id])


class PairCostView(CoordinatorRequiredMixin, View):
    """Who bears the pair's costs (where the programme records it): ``pairs.services``."""

    template_name = "matching/pair_cost.html"

    def get_pair(self):
        round_ = _round_or_404(self.tenant, self.kwargs["round_pk"])
        pair = get_object_or_404(
            Pair.objects.select_related("round", "round__programme", "mentor", "adept"),
            tenant=self.tenant,
            round=round_,
            pk=self.kwargs["pk"],
        )
        if not application_services.field_settings(round_.programme).records_pair_cost:
            raise Http404
        return pair

    def render_page(self, pair, form=None, status=200):
        form = form or PairCostForm(
            initial={"cost_bearer": pair.cost_bearer, "cost_note": pair.cost_note}
        )
        return render(
            self.request,
            self.template_name,
            {
                "pair": pair,
                "round": pair.round,
                "form": form,
                "back_url": reverse("matching:pairs", args=[self.tenant.slug, pair.round_id]),
            },
            status=status,
        )

    def get(self, request, tenant, round_pk, pk):
        return self.render_page(self.get_pair())

    def post(self, request, tenant, round_pk, pk):
        pair = self.get_pair()
        form = PairCostForm(request.POST)
        if form.is_valid():
            try:
                pair_services.set_pair_cost(
                    tenant=self.tenant,
                    actor=request.user,
                    pair=pair,
                    bearer=form.cleaned_data["cost_bearer"],
                    note=form.cleaned_data["cost_note"],
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(request, _("Who bears the costs has been saved."))
                return redirect("matching:pairs", tenant=tenant, round_pk=round_pk)
        return self.render_page(pair, form=form, status=400)


class HRPairMixin:
    def hr_pairs(self):
        organisations = rules.hr_organisation_ids(self.membership)
        return _active_pair_qs(self.tenant).filter(
            Q(mentor__organisation_id__in=organisations)
            | Q(adept__organisation_id__in=organisations)
        )


HR_PAIR_SORTS = {
    "attention": PAIR_SORTS["attention"],
    "adept": PAIR_SORTS["adept"],
    "mentor": PAIR_SORTS["mentor"],
    "round": (
        gettext_lazy("Round"),
        lambda p: (p.round.programme.name.casefold(), p.round.name.casefold(), p.pk),
    ),
    "meetings": PAIR_SORTS["meetings"],
}


# What the HR contact's list and the quiet rule read of each pair's round.
HR_PAIR_ROUND_FIELDS = (
    "round__name",
    "round__status",
    "round__ends_on",
    "round__quiet_pair_weeks",
    "round__programme__name",
    "round__programme__kind",
    "tenant__timezone",
)


class HRPairListView(HRContactRequiredMixin, HRPairMixin, View):
    """The active pairs with someone from the HR contact's organisations, in pages: filter by
    round and by what needs attention, search by name, e-mail or organisation."""

    template_name = "matching/hr_pairs.html"
    shows = ("quiet", "asked")

    def get(self, request, tenant):
        mine = self.hr_pairs()
        rounds = list(
            Round.objects.filter(tenant=self.tenant, pk__in=mine.values("round_id"))
            .select_related("programme")
            .order_by("programme__name", "name", "id")
        )
        round_id = request.GET.get("round", "")
        chosen = next((r for r in rounds if str(r.pk) == round_id), None)
        if chosen:
            mine = mine.filter(round=chosen)
        pairs = selectors.with_activity(
            selectors.pairs_for_list(mine.select_related(None))
            .select_related("round__programme", "tenant")
            .only(*selectors.PAIR_LIST_FIELDS, *HR_PAIR_ROUND_FIELDS)
            .order_by("adept__full_name", "id")
        )
        show = request.GET.get("show", "")
        show = show if show in self.shows else ""
        if show == "quiet":
            pairs = [p for p in pairs if p.quiet_since]
        elif show == "asked":
            pairs = [p for p in pairs if p.end_requested_at]
        listing = Listing(
            request,
            pairs,
            sorts=HR_PAIR_SORTS,
            default_sort="attention",
            search=_pair_search,
        )
        return render(
            request,
            self.template_name,
            {
                "listing": listing,
                "pairs": listing.rows,
                "rounds": rounds,
                "chosen_round": chosen,
                "show": show,
                "filtered": bool(chosen or show or listing.q),
            },
        )


class HREndPairView(HRContactRequiredMixin, HRPairMixin, EndPairMixin, View):
    base_template = "base.html"

    def get_pair(self):
        # A pair outside the HR contact's organisations is not theirs to know of: 404.
        return get_object_or_404(self.hr_pairs(), pk=self.kwargs["pk"])

    def done_url(self, pair):
        return reverse("matching:hr_pairs", args=[self.tenant.slug])
