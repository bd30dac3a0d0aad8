"""One access table for the whole project: every URL pattern, tried by the people who must be
refused.

``ACCESS`` names each URL pattern with the kind of page it is and how to build its kwargs from
the shared world (two tenants built alike by :func:`build_tenant`, once per module inside a
transaction that is rolled back at the end). ``test_every_url_pattern_is_in_the_table`` walks
``get_resolver()`` and fails listing any pattern missing here: a new URL gets a row.

For each URL, GET and POST are tried as anonymous (sign-in page, or 404/410 for a link with a
key) and as the other tenant's coordinator (404); HR pages of an object also as the HR contact
of another organisation of the same tenant (404/403), pair pages as a participant of another
pair (404). Every refused attempt must show none of the target's people, leave the tenant's
tables as they were (row counts and ``updated_at``; the intended "refused/viewed" log rows
aside) and mail nobody. What the right role sees is tested per app (test_isolation.py,
test_views.py).
"""

import html
import uuid
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.db import transaction
from django.db.models import Count, Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from applications.models import Application, FieldSettings
from choosing.models import MentorRequest
from identity import services as identity_services
from matching import services as matching_services
from matching.models import PairConstraint
from messaging.models import RoundMessage
from organisations.models import ActivityLog, ExportJob, OutgoingMail, User
from organisations.viewlog import REFUSED
from pairs import checklists
from pairs.models import PlannedMeeting
from privacy.models import ErasureRequest
from tests.evaluation.factories import SurveyFactory, SurveyQuestionFactory
from tests.factories.applications import ExportJobFactory, QuestionFactory, ThemeFactory
from tests.factories.organisations import (
    InvitationFactory,
    MembershipFactory,
    TenantFactory,
)
from tests.factories.programmes import ParticipantFactory, SharedMeetingFactory
from tests.matching.factories import AcceptedAdeptFactory, PairFactory
from tests.matching.test_views import make_world

INTENDED_LOG = (REFUSED, "personal_data.viewed")

# Patterns outside any tenant: sign-in (allauth), the admin and the health check have their own
# tests (tests/test_admin_sign_in.py, tests/test_login_rate_limits.py, ...).
OUTSIDE_TENANT_PREFIXES = ("accounts/", "admin/", "healthz", "health/", "i18n/", "robots")


def build_tenant(name, prefix):
    """One tenant with a person in every role and an object of every kind the URLs point at."""
    tenant = TenantFactory(name=name)
    round_, orgs, mentors, adepts = make_world(tenant, prefix=prefix)
    org_a, org_b = orgs[0], orgs[1]
    for person in mentors + adepts:
        person.full_name = f"{prefix}{person.full_name}"
        person.save(update_fields=["full_name"])
    coordinator = MembershipFactory(
        tenant=tenant, is_coordinator=True, user__full_name=f"{prefix}Karin Koordinator"
    )
    hr_a = MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[org_a],
        user__full_name=f"{prefix}Hanna HR",
    )
    hr_b = MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[orgs[2]],  # neither the applicant's nor the pair's
        user__full_name=f"{prefix}Bertil Annan-HR",
    )
    proposal = matching_services.run_proposal(tenant=tenant, actor=None, round_=round_)
    first = proposal.pairs.order_by("pk").first()
    constraint = PairConstraint.objects.create(
        tenant=tenant, round=round_, mentor=mentors[0], adept=adepts[1], kind="forbid"
    )
    pair = PairFactory(
        round=round_,
        adept__organisation=org_a,
        mentor__organisation=org_b,
        adept__full_name=f"{prefix}Ada Paradept",
        mentor__full_name=f"{prefix}Mona Parmentor",
    )
    other_pair = PairFactory(
        round=round_,
        adept__organisation=orgs[2],
        mentor__organisation=orgs[2],
        adept__full_name=f"{prefix}Otto Annanadept",
    )
    for application in (pair.adept, pair.mentor, other_pair.adept, other_pair.mentor):
        ParticipantFactory(
            round=round_, user=application.user, role=application.role, organisation=org_a
        )
    checklist, *_rest = checklists.start_from_template(
        tenant=tenant, actor=None, programme=round_.programme, template="routine"
    )
    (round_checklist,) = checklists.start_from_template(
        tenant=tenant,
        actor=None,
        programme=round_.programme,
        round_=round_,
        template="relationship",
    )
    planned = PlannedMeeting.objects.create(
        tenant=tenant, pair=pair, starts_at=timezone.now() + timedelta(days=7), minutes=60
    )
    applicant = AcceptedAdeptFactory(
        round=round_,
        organisation=org_a,
        stage=Application.Stage.SUBMITTED,
        full_name=f"{prefix}Sara Sökande",
    )
    asked = MentorRequest.objects.create(
        tenant=tenant, round=round_, adept=adepts[2], mentor=mentors[2]
    )
    survey = SurveyFactory(round=round_, title=f"{prefix}Slututvärdering")
    survey_question = SurveyQuestionFactory(survey=survey)
    meeting = SharedMeetingFactory(round=round_, title=f"{prefix}Uppstartsdag")
    message = RoundMessage.objects.create(
        tenant=tenant,
        round=round_,
        subject=f"{prefix}Välkomna",
        body="Hej",
        audience="everyone",
        idempotency_key=uuid.uuid4(),
    )
    invitation = InvitationFactory(tenant=tenant)
    # The programme records who bears each pair's costs (its page exists only then).
    FieldSettings.objects.create(tenant=tenant, programme=round_.programme, records_pair_cost=True)
    erasure = ErasureRequest.objects.create(tenant=tenant, user=applicant.user)
    outgoing = OutgoingMail.objects.create(
        tenant=tenant, to=["ny@example.se"], subject="Hej", body="Hej", status="failed"
    )
    identity_provider = identity_services.create_provider(
        tenant=tenant,
        actor=None,
        kind="oidc",
        name=f"{prefix}Kommunens konto",
        domains=[f"{tenant.slug}.example"],
        protocol_settings=identity_services.oidc_settings(issuer="https://login.example/v2.0"),
        client_id="client",
        secret="secret",
    )
    return SimpleNamespace(
        tenant=tenant,
        identity_provider=identity_provider,
        programme=round_.programme,
        round=round_,
        org_a=org_a,
        org_b=org_b,
        coordinator=coordinator.user,
        coordinator_membership=coordinator,
        hr_a=hr_a.user,
        hr_b=hr_b.user,
        proposal=proposal,
        proposed_adept=first.adept,
        constraint=constraint,
        pair=pair,
        pair_mentor=pair.mentor,
        other_pair=other_pair,
        planned=planned,
        checklist=checklist,
        checklist_item=checklist.items.first(),
        round_checklist=round_checklist,
        applicant=applicant,
        applicant_user=applicant.user,
        erasure=erasure,
        request=asked,
        survey=survey,
        survey_question=survey_question,
        question=QuestionFactory(round=round_),
        theme=ThemeFactory(programme=round_.programme),
        export_job=ExportJobFactory(round=round_, requested_by=coordinator.user),
        report_job=ExportJobFactory(
            round=round_, requested_by=coordinator.user, kind=ExportJob.Kind.ROUND_REPORT
        ),
        meeting=meeting,
        message=message,
        invitation=invitation,
        outgoing=outgoing,
        names=[
            coordinator.user.full_name,
            hr_a.user.full_name,
            hr_b.user.full_name,
            pair.adept.full_name,
            pair.mentor.full_name,
            other_pair.adept.full_name,
            applicant.full_name,
            *(m.full_name for m in mentors),
            *(a.full_name for a in adepts),
        ],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both tenants, built once for the module in an outer transaction rolled back at its end;
    each test's own writes are rolled back with its savepoint (pytest-django's ``db``)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        with scopes_disabled():
            ours = build_tenant("Västnätet", "")
            theirs = build_tenant("Annat nätverk", "Främ ")
            User.objects.update(language="en")
    yield SimpleNamespace(ours=ours, theirs=theirs)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


# Kinds: what the URL is and who must be refused.
MANAGE, HR, HR_OBJECT, MY, OWN, PAIR, PUBLIC, KEY = (
    "manage",  # coordinator pages
    "hr",  # an HR contact's pages of the whole tenant
    "hr_object",  # an HR contact's page of one applicant or pair of their organisations
    "my",  # a signed-in participant's or applicant's own pages
    "own",  # a signed-in person's own list: anyone signed in gets theirs (empty), nobody else's
    "pair",  # a pair's own pages (/my/pairs/<pk>/)
    "public",  # readable without signing in
    "key",  # a link with a secret key or token: anonymous is refused by the key
)


def k(**attrs):
    """kwargs from attributes of one tenant's world: ``k(pk="round")`` → ``{"pk": w.round.pk}``."""

    def build(w):
        return {name: getattr(w, attr).pk for name, attr in attrs.items()}

    return build


def literal(**values):
    return lambda w: dict(values)


def text_answer(w):
    return {"pk": w.survey.pk, "answer_id": uuid.UUID(int=1)}


ACCESS = {
    # identity (sign-in with the organisation's account)
    "identity:sign_in": (PUBLIC, k()),
    "identity:signed_out": (PUBLIC, k()),
    "identity:provider_list": (MANAGE, k()),
    "identity:provider_create": (MANAGE, literal(kind="oidc")),
    "identity:provider_edit": (MANAGE, k(pk="identity_provider")),
    "identity:provider_delete": (MANAGE, k(pk="identity_provider")),
    # organisations
    "organisations:tenant_home": (PUBLIC, k()),
    "organisations:dashboard": (MANAGE, k()),
    "organisations:tenant_page_edit": (MANAGE, k()),
    "organisations:organisation_list": (MANAGE, k()),
    "organisations:organisation_create": (MANAGE, k()),
    "organisations:organisation_import": (MANAGE, k()),
    "organisations:organisation_edit": (MANAGE, k(pk="org_a")),
    "organisations:organisation_active": (MANAGE, k(pk="org_a")),
    "organisations:team": (MANAGE, k()),
    "organisations:team_invite_many": (MANAGE, k()),
    "organisations:membership_edit": (MANAGE, k(pk="coordinator_membership")),
    "organisations:membership_remove": (MANAGE, k(pk="coordinator_membership")),
    "organisations:invitation_revoke": (MANAGE, k(pk="invitation")),
    "organisations:invitation_resend": (MANAGE, k(pk="invitation")),
    "organisations:activity": (MANAGE, k()),
    "organisations:outbox": (MANAGE, k()),
    "organisations:outbox_send_again": (MANAGE, k(pk="outgoing")),
    "organisations:hr_home": (HR, k()),
    # Any member of the tenant (the two-factor policy's explanation); strangers get 404.
    "organisations:two_factor_required": (HR, k()),
    "organisations:invitation": (KEY, literal(key="not-a-key")),
    "organisations:invitation_renew": (KEY, literal(key="not-a-key")),
    # programmes
    "programmes:public_round": (PUBLIC, k(pk="round")),
    "programmes:round_feed": (PUBLIC, k(pk="round")),
    "programmes:meeting_ics": (PUBLIC, k(pk="meeting")),
    "programmes:person_feed": (KEY, literal(token="not-a-token")),
    "programmes:participant_home": (MY, k()),
    "programmes:renew_feed": (MY, k()),
    "programmes:respond": (MY, k(pk="meeting")),
    "programmes:programme_list": (MANAGE, k()),
    "programmes:programme_create": (MANAGE, k()),
    "programmes:programme_detail": (MANAGE, k(pk="programme")),
    "programmes:programme_edit": (MANAGE, k(pk="programme")),
    "programmes:round_create": (MANAGE, k(programme="programme")),
    "programmes:round_dashboard": (MANAGE, k(pk="round")),
    "programmes:round_edit": (MANAGE, k(pk="round")),
    "programmes:round_transition": (MANAGE, k(pk="round")),
    "programmes:round_close_applications": (MANAGE, k(pk="round")),
    "programmes:round_copy": (MANAGE, k(pk="round")),
    "programmes:participant_list": (MANAGE, k(pk="round")),
    "programmes:meeting_create": (MANAGE, k(pk="round")),
    "programmes:meeting_detail": (MANAGE, k(pk="meeting")),
    "programmes:meeting_edit": (MANAGE, k(pk="meeting")),
    "programmes:meeting_delete": (MANAGE, k(pk="meeting")),
    "programmes:attendance": (MANAGE, k(pk="meeting")),
    "programmes:answers_csv": (MANAGE, k(pk="meeting")),
    "programmes:answers_pdf": (MANAGE, k(pk="meeting")),
    "round_messages:list": (MANAGE, k(round_pk="round")),
    "round_messages:compose": (MANAGE, k(round_pk="round")),
    "round_messages:detail": (MANAGE, k(round_pk="round", pk="message")),
    # applications
    "applications:apply": (PUBLIC, k(round_pk="round")),  # the call; applying needs signing in
    "applications:my_applications": (OWN, k()),
    "applications:edit": (MY, k(pk="applicant")),
    "applications:autosave": (MY, k(pk="applicant")),
    "applications:withdraw": (MY, k(pk="applicant")),
    "applications:resend_endorsement": (MY, k(pk="applicant")),
    "applications:put_forward_accept": (KEY, literal(token="not-a-token")),
    "applications:endorse": (KEY, literal(key="not-a-key")),
    "applications:hr_list": (HR, k(round_pk="round")),
    "applications:hr_bulk_nominate": (HR, k(round_pk="round")),
    "applications:hr_detail": (HR_OBJECT, k(pk="applicant")),
    "applications:put_forward": (HR, k(round_pk="round")),
    "applications:hr_application_pdf": (HR_OBJECT, k(pk="applicant")),
    "applications:hr_export": (HR, k(round_pk="round")),
    "applications:review_list": (MANAGE, k(round_pk="round")),
    "applications:review_detail": (MANAGE, k(pk="applicant")),
    "applications:form_builder": (MANAGE, k(round_pk="round")),
    "applications:question_edit": (MANAGE, k(pk="question")),
    "applications:themes": (MANAGE, k(programme_pk="programme")),
    "applications:field_settings": (MANAGE, k(programme_pk="programme")),
    "applications:application_pdf": (MANAGE, k(pk="applicant")),
    "applications:export": (MANAGE, k(round_pk="round")),
    "applications:import": (MANAGE, k(round_pk="round")),
    "applications:dossier": (MANAGE, k(round_pk="round")),
    "applications:job_status": (MANAGE, k(pk="export_job")),
    "applications:job_download": (MANAGE, k(pk="export_job")),
    "applications:job_start_again": (MANAGE, k(pk="export_job")),
    # matching
    "matching:home": (MANAGE, k(round_pk="round")),
    "matching:run": (MANAGE, k(round_pk="round")),
    "matching:compare": (MANAGE, k(round_pk="round")),
    "matching:constraint_clear": (MANAGE, k(round_pk="round", pk="constraint")),
    "matching:pairs": (MANAGE, k(round_pk="round")),
    "matching:end_pair": (MANAGE, k(round_pk="round", pk="pair")),
    "matching:pair_cost": (MANAGE, k(round_pk="round", pk="pair")),
    "matching:proposal": (MANAGE, k(pk="proposal")),
    "matching:publish": (MANAGE, k(pk="proposal")),
    "matching:adjust": (MANAGE, k(pk="proposal", adept_pk="proposed_adept")),
    "matching:check": (MANAGE, k(pk="proposal", adept_pk="proposed_adept")),
    "matching:hr_pairs": (HR, k()),
    "matching:hr_end_pair": (HR_OBJECT, k(pk="pair")),
    "matching_bank:hr_bank_home": (HR, k(round_pk="round")),
    "matching_bank:hr_bank_register": (HR, k(round_pk="round")),
    "matching_bank:hr_bank_suggestions": (HR_OBJECT, k(round_pk="round", adept_pk="applicant")),
    "matching_bank:hr_bank_choose": (HR_OBJECT, k(round_pk="round", adept_pk="applicant")),
    "matching_bank:hr_bank_done": (HR_OBJECT, k(round_pk="round", pk="pair")),
    "matching_bank:manage_bank_home": (MANAGE, k(round_pk="round")),
    "matching_bank:manage_bank_register": (MANAGE, k(round_pk="round")),
    "matching_bank:manage_bank_suggestions": (MANAGE, k(round_pk="round", adept_pk="applicant")),
    "matching_bank:manage_bank_choose": (MANAGE, k(round_pk="round", adept_pk="applicant")),
    "matching_bank:manage_bank_done": (MANAGE, k(round_pk="round", pk="pair")),
    "matching_bank:hr_bank_mentors": (HR, k(round_pk="round")),
    "matching_bank:hr_bank_places": (HR_OBJECT, k(round_pk="round", pk="pair_mentor")),
    "matching_bank:manage_bank_mentors": (MANAGE, k(round_pk="round")),
    "matching_bank:manage_bank_places": (MANAGE, k(round_pk="round", pk="pair_mentor")),
    "matching_bank:manage_bank_intake": (MANAGE, k(round_pk="round")),
    "matching_bank:availability": (MY, k()),
    "matching_requests:mentors": (MY, k()),
    "matching_requests:ask": (MY, lambda w: {"pk": w.request.mentor_id}),
    "matching_requests:withdraw": (MY, k(pk="request")),
    "matching_requests:incoming": (MY, k()),
    "matching_requests:accept": (MY, k(pk="request")),
    "matching_requests:decline": (MY, k(pk="request")),
    "matching_pairwork:pair": (PAIR, k(pk="pair")),
    "matching_pairwork:agreement": (PAIR, k(pk="pair")),
    "matching_pairwork:confirm": (PAIR, k(pk="pair")),
    "matching_pairwork:meeting": (PAIR, k(pk="pair")),
    "matching_pairwork:checklist": (PAIR, k(pk="pair", checklist_pk="round_checklist")),
    # pairs: the coordinators' checklists
    "checklists:programme": (MANAGE, k(programme_pk="programme")),
    "checklists:programme_template": (MANAGE, k(programme_pk="programme")),
    "checklists:round": (MANAGE, k(round_pk="round")),
    "checklists:round_template": (MANAGE, k(round_pk="round")),
    "checklists:round_copy_again": (MANAGE, k(round_pk="round")),
    "checklists:checklist": (MANAGE, k(pk="checklist")),
    "checklists:item_add": (MANAGE, k(pk="checklist")),
    **{
        f"checklists:checklist_{action}": (MANAGE, k(pk="checklist"))
        for action in ("up", "down", "retire", "restore", "delete")
    },
    "checklists:item_edit": (MANAGE, k(pk="checklist_item")),
    **{
        f"checklists:item_{action}": (MANAGE, k(pk="checklist_item"))
        for action in ("up", "down", "retire", "restore", "delete")
    },
    "matching_pairwork:plan": (PAIR, k(pk="pair")),
    "matching_pairwork:cancel_planned": (PAIR, k(pk="pair", planned_pk="planned")),
    "matching_pairwork:log_planned": (PAIR, k(pk="pair", planned_pk="planned")),
    "matching_pairwork:request_end": (PAIR, k(pk="pair")),
    "matching_pairwork:withdraw_end": (PAIR, k(pk="pair")),
    # evaluation
    "evaluation:answer": (MY, k(pk="survey")),
    "evaluation:survey_list": (MANAGE, k(round_pk="round")),
    "evaluation:survey": (MANAGE, k(pk="survey")),
    "evaluation:question_add": (MANAGE, k(pk="survey")),
    "evaluation:preview": (MANAGE, k(pk="survey")),
    "evaluation:results": (MANAGE, k(pk="survey")),
    "evaluation:text_visibility": (MANAGE, text_answer),
    "evaluation:survey_publish": (MANAGE, k(pk="survey")),
    "evaluation:survey_unpublish": (MANAGE, k(pk="survey")),
    "evaluation:survey_close": (MANAGE, k(pk="survey")),
    "evaluation:survey_delete": (MANAGE, k(pk="survey")),
    "evaluation:question_edit": (MANAGE, k(pk="survey_question")),
    "evaluation:question_up": (MANAGE, k(pk="survey_question")),
    "evaluation:question_down": (MANAGE, k(pk="survey_question")),
    "evaluation:question_hide": (MANAGE, k(pk="survey_question")),
    "evaluation:question_show": (MANAGE, k(pk="survey_question")),
    "evaluation:question_delete": (MANAGE, k(pk="survey_question")),
    "reports:round": (MANAGE, k(round_pk="round")),
    "reports:start": (MANAGE, k(round_pk="round")),
    "reports:job_status": (MANAGE, k(pk="report_job")),
    "reports:job_download": (MANAGE, k(pk="report_job")),
    "reports:job_start_again": (MANAGE, k(pk="report_job")),
    "reports:statistics": (MANAGE, k(programme_pk="programme")),
    # privacy
    "privacy:accessibility": (PUBLIC, k()),
    "privacy:my_data": (MY, k()),
    "privacy:my_data_pdf": (MY, k()),
    "privacy:my_data_json": (MY, k()),
    "privacy:erasure_request": (MY, k()),
    "privacy:retention": (MANAGE, k()),
    "privacy:erasure_list": (MANAGE, k()),
    "privacy:erasure_detail": (MANAGE, k(pk="erasure")),
    "privacy:erasure_carry_out": (MANAGE, k(pk="erasure")),
    "privacy:erasure_decline": (MANAGE, k(pk="erasure")),
    "privacy:extract": (MANAGE, k()),
    "privacy:extract_pdf": (MANAGE, k(user_pk="applicant_user")),
    "privacy:extract_json": (MANAGE, k(user_pk="applicant_user")),
}
SIGNED_IN = (MANAGE, HR, HR_OBJECT, MY, OWN, PAIR)
# The right role's page needs more than this world has; tested where it is built:
# the bank needs an HR-assigns round (tests/matching/test_bank.py), a download a finished
# file (tests/applications/test_exports.py, tests/reporting/test_report_job.py).
RIGHT_ROLE_ELSEWHERE = {n for n in ACCESS if n.startswith("matching_bank:")} | {
    "applications:job_download",
    "reports:job_download",
}
ROWS = sorted(ACCESS)


def tenant_patterns(patterns=None, prefix="", namespace=None):
    """(name, route) of every URL pattern, namespaced as ``reverse`` wants it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from tenant_patterns(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route


def test_every_url_pattern_is_in_the_table():
    """A URL added to any urls.py without a row here fails, naming the pattern."""
    seen = set()
    missing = []
    for name, route in tenant_patterns():
        if route.startswith(OUTSIDE_TENANT_PREFIXES) or "<slug:tenant>" not in route:
            assert not route.startswith("<"), f"{name} ({route}) is under a tenant: add a row"
            continue
        seen.add(name)
        if name not in ACCESS:
            missing.append(f"{name}  {route}")
    assert missing == [], "URL patterns missing from ACCESS:\n" + "\n".join(missing)
    assert sorted(set(ACCESS) - seen) == [], "rows for URL patterns that no longer exist"


def path_of(w, name):
    return reverse(name, kwargs={"tenant": w.tenant.slug, **ACCESS[name][1](w)})


def snapshot(tenant):
    """Row count and latest ``updated_at`` of every tenant-owned table of ``tenant``, and the
    users; the "refused/viewed" log rows the viewlog writes on purpose are left out."""
    state = {"users": User.objects.count()}
    with scopes_disabled():
        for model in apps.get_models():
            fields = {f.name for f in model._meta.concrete_fields}
            if "tenant" not in fields:
                continue
            rows = model._base_manager.filter(tenant=tenant)
            if model is ActivityLog:
                rows = rows.exclude(action__in=INTENDED_LOG)
            aggregates = {"n": Count("pk")}
            if "updated_at" in fields:
                aggregates["updated"] = Max("updated_at")
            state[model._meta.label] = rows.aggregate(**aggregates)
    return state


def client_for(user=None):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def attempt(world, client, method, name):
    """Send ``method`` to our tenant's ``name`` and check nothing happened or leaked."""
    ours = world.ours
    before = snapshot(ours.tenant)
    path = path_of(ours, name)
    response = client.get(path) if method == "get" else client.post(path, {})
    body = html.unescape(response.content.decode(errors="replace"))
    for person in ours.names:
        assert person not in body, f"{person!r} shown by {method.upper()} {path}"
    assert snapshot(ours.tenant) == before, f"{method.upper()} {path} wrote something"
    assert mail.outbox == []
    assert OutgoingMail._base_manager.filter(tenant=ours.tenant).count() == 1
    return response


def assert_refused(response, *statuses):
    """Refused: one of ``statuses``, or 405 for a method the URL does not take at all."""
    if response.status_code == 405:
        assert response.has_header("Allow"), response
        return
    assert response.status_code in statuses, response.status_code


def assert_sent_to_sign_in(response):
    assert response.status_code == 302, response.status_code
    assert urlsplit(response.url).path == reverse("account_login")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ROWS)
def test_anonymous(world, name, method):
    kind = ACCESS[name][0]
    response = attempt(world, client_for(), method, name)
    if kind in SIGNED_IN:
        assert_sent_to_sign_in(response)
    elif kind == KEY:
        # An unknown key: an error page, or back to the same link to say so.
        if response.status_code == 302:
            assert urlsplit(response.url).path == path_of(world.ours, name)
        else:
            assert response.status_code in (400, 404, 405, 410), response.status_code
    else:
        assert response.status_code in (200, 302, 404, 405), response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [n for n in ROWS if ACCESS[n][0] in SIGNED_IN])
def test_another_tenants_coordinator(world, name, method):
    response = attempt(world, client_for(world.theirs.coordinator), method, name)
    if ACCESS[name][0] == OWN:
        assert_refused(response, 200)  # their own, empty: attempt() checked nothing of ours
    else:
        assert_refused(response, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [n for n in ROWS if ACCESS[n][0] == HR_OBJECT])
def test_hr_contact_of_another_organisation(world, name, method):
    response = attempt(world, client_for(world.ours.hr_b), method, name)
    assert_refused(response, 403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [n for n in ROWS if ACCESS[n][0] == PAIR])
def test_participant_of_another_pair(world, name, method):
    response = attempt(world, client_for(world.ours.other_pair.adept.user), method, name)
    assert_refused(response, 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        n
        for n in ROWS
        if ACCESS[n][0] in (MANAGE, HR, HR_OBJECT, PAIR) and n not in RIGHT_ROLE_ELSEWHERE
    ],
)
def test_the_right_role_gets_the_page(world, name):
    """The control for the refusals above: the same URL answers its own people."""
    ours = world.ours
    kind = ACCESS[name][0]
    user = {
        MANAGE: ours.coordinator,
        HR: ours.hr_a,
        HR_OBJECT: ours.hr_a,
        PAIR: ours.pair.adept.user,
    }[kind]
    response = client_for(user).get(path_of(ours, name))
    assert response.status_code in (200, 302, 405), response.status_code
