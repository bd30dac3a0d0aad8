"""The round as a workspace: its navigation grouped by stage, and its stage control.

``round_navigation`` builds the round's menu from the round itself: only the pages that apply
to the programme's kind and to the steps the round has (a nomination list only when the
organisations nominate, the matching page only when the coordinators match, the mentor bank
only when HR assigns mentors from a bank). Every round-level coordinator page shows it through
``templates/includes/round_nav.html`` (the ``round_nav`` tag), with the current page marked.

``stage_control`` says which move of the round's stage is the next one forward (with the
reasons it is blocked, if it is) and which moves go back, each with what it undoes.

Pages of other apps are named by their URL names only, so this module imports none of them.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Programme, Round

S = Round.Status

GROUP_ICONS = {
    "overview": "chart",
    "setup": "settings",
    "applications": "list",
    "matching": "link",
    "pairs": "users",
    "follow_up": "mail",
}


@dataclass
class NavLink:
    label: str
    url: str
    # URL names (namespace:name) of the pages that belong to this link.
    views: tuple = ()
    # The query string that must match too (a filtered list), or "" for any.
    query: str = ""
    current: str = ""  # "page" on the page itself, "true" on a page under it


@dataclass
class NavGroup:
    key: str
    label: str
    links: list = field(default_factory=list)

    @property
    def icon(self):
        """The name of its inline SVG icon (mentorship/templatetags/icons.py)."""
        return GROUP_ICONS.get(self.key, "")

    @property
    def current(self):
        return any(link.current for link in self.links)


def _stage_link(tenant, round_, stage, label):
    url = reverse("applications:review_list", args=[tenant.slug, round_.pk])
    return NavLink(label, f"{url}?stage={stage}", ("applications:review_list",), f"stage={stage}")


def round_navigation(round_, *, tenant, request=None):
    """The round's menu as groups of links, in the order of the round's stages."""
    args = [tenant.slug, round_.pk]
    programme = round_.programme
    closed = round_.status in (S.CLOSED, S.ARCHIVED)
    groups = []

    overview = NavGroup("overview", _("Overview"))
    overview.links.append(
        NavLink(
            _("The round at a glance"),
            reverse("programmes:round_dashboard", args=args),
            ("programmes:round_dashboard", "programmes:round_transition"),
        )
    )
    groups.append(overview)

    setup = NavGroup("setup", _("Setup"))
    setup.links.append(
        NavLink(
            _("Settings and eligibility"),
            reverse("programmes:round_edit", args=args),
            ("programmes:round_edit",),
        )
    )
    setup.links.append(
        NavLink(
            _("The application form"),
            reverse("applications:form_builder", args=args),
            ("applications:form_builder", "applications:question_edit", "applications:themes"),
        )
    )
    setup.links.append(
        NavLink(
            _("Standard fields and mentor cards"),
            reverse("applications:field_settings", args=[tenant.slug, programme.pk])
            + f"?round={round_.pk}",
            ("applications:field_settings",),
        )
    )
    setup.links.append(
        NavLink(
            _("Shared meeting days"),
            reverse("programmes:round_dashboard", args=args) + "#meetings-title",
            (
                "programmes:meeting_create",
                "programmes:meeting_detail",
                "programmes:meeting_edit",
                "programmes:meeting_delete",
                "programmes:attendance",
            ),
        )
    )
    setup.links.append(
        NavLink(
            _("Checklists"),
            reverse("checklists:round", args=args),
            (
                "checklists:round",
                "checklists:round_template",
                "checklists:round_copy_again",
                "checklists:checklist",
                "checklists:item_edit",
            ),
        )
    )
    setup.links.append(
        NavLink(
            _("New round from this one"),
            reverse("programmes:round_copy", args=args),
            ("programmes:round_copy",),
        )
    )
    if round_.is_public:
        setup.links.append(
            NavLink(
                _("Public page"),
                reverse("programmes:public_round", args=args),
                ("programmes:public_round",),
            )
        )
    groups.append(setup)

    applications = NavGroup("applications", _("Applications"))
    applications.links.append(
        NavLink(
            _("All applications"),
            reverse("applications:review_list", args=args),
            (
                "applications:review_list",
                "applications:review_detail",
                "applications:export",
                "applications:import",
                "applications:dossier",
                "applications:job_status",
            ),
        )
    )
    if round_.requires_endorsement:
        applications.links.append(
            _stage_link(tenant, round_, "awaiting_endorsement", _("Waiting for the manager"))
        )
    if round_.requires_nomination:
        applications.links.append(
            _stage_link(tenant, round_, "awaiting_nomination", _("Waiting for nomination"))
        )
    if not programme.is_continuous:
        label = _("Interviews and review") if round_.requires_interview else _("Under review")
        applications.links.append(_stage_link(tenant, round_, "under_review", label))
    groups.append(applications)

    matching = NavGroup("matching", _("Matching"))
    if programme.matching_mode == Programme.MatchingMode.COORDINATOR:
        matching.links.append(
            NavLink(
                _("Proposals") if closed else _("Matching"),
                reverse("matching:home", args=args),
                (
                    "matching:home",
                    "matching:run",
                    "matching:compare",
                    "matching:constraint_clear",
                    "matching:proposal",
                    "matching:publish",
                    "matching:adjust",
                    "matching:check",
                ),
            )
        )
    if programme.matching_mode == Programme.MatchingMode.HR_ASSIGNS:
        matching.links.append(
            NavLink(
                _("Mentor bank"),
                reverse("matching_bank:manage_bank_home", args=args),
                tuple(
                    f"matching_bank:manage_bank_{name}"
                    for name in ("home", "register", "suggestions", "choose", "done")
                ),
            )
        )
    if programme.is_continuous or programme.matching_mode == Programme.MatchingMode.HR_ASSIGNS:
        matching.links.append(
            NavLink(
                _("Mentors in the bank"),
                reverse("matching_bank:manage_bank_mentors", args=args),
                ("matching_bank:manage_bank_mentors", "matching_bank:manage_bank_intake"),
            )
        )
    if matching.links:
        groups.append(matching)

    pairs = NavGroup("pairs", _("Pairs"))
    pairs.links.append(
        NavLink(
            _("Pairs"),
            reverse("matching:pairs", args=args),
            ("matching:pairs", "matching:end_pair"),
        )
    )
    pairs.links.append(
        NavLink(
            _("Participants"),
            reverse("programmes:participant_list", args=args),
            ("programmes:participant_list",),
        )
    )
    groups.append(pairs)

    follow_up = NavGroup("follow_up", _("Follow-up"))
    follow_up.links.append(
        NavLink(
            _("Messages"),
            reverse("round_messages:list", args=args),
            ("round_messages:list", "round_messages:compose", "round_messages:detail"),
        )
    )
    follow_up.links.append(
        NavLink(
            _("Surveys"),
            reverse("evaluation:survey_list", args=args),
            (
                "evaluation:survey_list",
                "evaluation:survey",
                "evaluation:question_add",
                "evaluation:preview",
                "evaluation:results",
                "evaluation:text_visibility",
                "evaluation:question_edit",
            ),
        )
    )
    follow_up.links.append(
        NavLink(
            _("Round report"),
            reverse("reports:round", args=args),
            ("reports:round", "reports:start", "reports:job_status", "reports:statistics"),
        )
    )
    groups.append(follow_up)

    if request is not None:
        mark_current(groups, request)
    return groups


def mark_current(groups, request):
    """aria-current: "page" for the link of this very page, "true" for the link a sub-page
    belongs to. A filtered list link wins over the unfiltered one when its query matches."""
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    query = request.GET.urlencode() if request.GET else ""
    path = request.path
    candidates = []
    for group in groups:
        for link in group.links:
            link.current = ""
            if view not in link.views:
                continue
            if link.query and link.query not in query:
                continue
            candidates.append(link)
    if not candidates:
        return
    # The most specific link: one with a matching query, then one whose address is this page.
    best = max(candidates, key=lambda link: (bool(link.query), link.url.split("#")[0] == path))
    exact = best.url.split("?")[0].split("#")[0] == path and (not best.query or best.query in query)
    best.current = "page" if exact and "#" not in best.url else "true"


# --- the stage control ----------------------------------------------------------------------

# What moving back undoes, in the coordinator's words.
UNDO = {
    (S.OPEN, S.DRAFT): _(
        "The public page and the application form close: nobody can apply or submit until you "
        "open the round again. Drafts and submitted applications are kept, and no reminders "
        "are sent while the round is a draft."
    ),
    (S.REVIEW, S.OPEN): _(
        "Applications open again until the deadline: people can apply and submit, and HR "
        "contacts and managers get reminders again. Decisions made so far are kept."
    ),
    (S.MATCHING, S.REVIEW): _(
        "The round goes back to review. Proposals and pairs already published are kept; "
        "a proposal you have not published stays a draft."
    ),
    (S.CLOSED, S.RUNNING): _(
        "The round runs again: quiet pairs get reminders again, and the round report is no "
        "longer the final one."
    ),
}


@dataclass
class Move:
    target: Round.Status
    problems: list = field(default_factory=list)
    undo: str = ""
    # From "open" to "review" before the deadline: "close applications now" is offered.
    close_now: bool = False

    @property
    def blocked(self):
        return bool(self.problems)


def stage_control(round_):
    """(forward, backward): the next stage forward as a ``Move`` (or None once archived) and
    the moves back, each with what it undoes."""
    targets = services.TRANSITIONS.get(round_.status, ())
    order = list(S.values)
    forward_moves, back_moves = [], []
    for target in targets:
        target = S(target)
        if order.index(target) > order.index(round_.status):
            forward_moves.append(Move(target, services.transition_problems(round_, target)))
        else:
            back_moves.append(Move(target, undo=UNDO.get((S(round_.status), target), "")))
    forward = forward_moves[0] if forward_moves else None
    if forward is not None and forward.target == S.REVIEW:
        forward.close_now = not services.close_applications_problems(round_)
    return forward, back_moves


def is_backward(round_, target):
    order = list(S.values)
    return target in order and order.index(target) < order.index(round_.status)
