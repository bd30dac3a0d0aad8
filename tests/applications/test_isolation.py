"""Every application page (but the exports, imports, dossier, jobs and PDFs, tested with them)
against every kind of visitor.

Coordinator pages (manage/...): anonymous → sign in; a member of another tenant → 404; an HR
contact of this tenant → 403; a coordinator → 200 with this tenant's data and none of the
other tenant's. Another tenant's object under one's own tenant's path → 404.

HR pages (hr/...): anonymous → sign in; a coordinator who is not an HR contact → 403; the HR
contact of another organisation of the same tenant → the application is a 404 and the list
does not show it; the HR contact of the applicant's organisation → 200 with the applicant.

Applicant pages (my/...): anonymous → sign in; another person's application → 404; one's own
application under another tenant's path → 404.

The manager's link: a tampered key, or a key used under another tenant → 410, no data shown.
The apply page of a round that is not public → 404.

Forbidden writes are tried with valid data, and nothing anywhere may change.
"""

import html
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from applications import services
from applications.models import (
    Application,
    Endorsement,
    FieldSettings,
    InterviewNote,
    Nomination,
    PutForward,
    Question,
    StageChange,
    Theme,
)
from organisations.models import User
from programmes.models import Participant, Round
from tests.applications.test_services import (
    coordinator_membership,
    hr_membership,
    make_application,
    open_round,
)
from tests.factories.organisations import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory

Stage = Application.Stage

APPLICANT = "Ada Adept"  # from Alingsås, this tenant
NEIGHBOUR = "Bo Borås"  # from Borås, this tenant
FOREIGN_APPLICANT = "Främ Ling"
FOREIGN_SECRETS = (
    FOREIGN_APPLICANT,
    "Främmande programmet",
    "Främmande omgången",
    "Främmande fråga",
    "Främmande tema",
    "Främmande kommun",
)


@pytest.fixture
def world(tenant, other_tenant):
    programme = ProgrammeFactory(tenant=tenant, name="Chefsmentorprogrammet")
    round_ = open_round(
        programme=programme, name="Omgång 15", requires_nomination=True, nomination_quota=3
    )
    org_a = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    org_b = OrganisationFactory(tenant=tenant, name="Borås stad")
    question = Question.objects.create(tenant=tenant, round=round_, label="Vilken förvaltning?")
    theme = Theme.objects.create(tenant=tenant, programme=programme, name="Förändringsledning")
    applicant = UserFactory(full_name=APPLICANT, email="ada@alingsas.example", language="en")
    application = make_application(
        round_,
        user=applicant,
        organisation=org_a,
        stage=Stage.AWAITING_NOMINATION,
        full_name=APPLICANT,
        themes=[theme],
    )
    neighbour = make_application(
        round_, organisation=org_b, stage=Stage.AWAITING_NOMINATION, full_name=NEIGHBOUR
    )

    foreign_org = other_tenant.organisations.get(name="Främmande kommun")
    foreign_programme = ProgrammeFactory(tenant=other_tenant, name="Främmande programmet")
    foreign_round = open_round(
        programme=foreign_programme, name="Främmande omgången", requires_endorsement=True
    )
    foreign_question = Question.objects.create(
        tenant=other_tenant, round=foreign_round, label="Främmande fråga"
    )
    Theme.objects.create(tenant=other_tenant, programme=foreign_programme, name="Främmande tema")
    foreign_user = UserFactory(
        full_name=FOREIGN_APPLICANT, email="framling@annat.example", language="en"
    )
    foreign_application = make_application(
        foreign_round, user=foreign_user, organisation=foreign_org, full_name=FOREIGN_APPLICANT
    )
    services.submit(application=foreign_application, actor=foreign_user)
    foreign_endorsement = Endorsement.objects.get(application=foreign_application)
    foreign_put_forward = PutForward.objects.create(
        tenant=other_tenant,
        round=foreign_round,
        organisation=foreign_org,
        role="adept",
        full_name="Främ Ling",
        email="framling@annat.example",
    )
    # Everybody reads English here, so that the texts asserted are the same in every run.
    User.objects.update(language="en")
    return SimpleNamespace(
        tenant=tenant,
        programme=programme,
        round=round_,
        org_a=org_a,
        org_b=org_b,
        question=question,
        theme=theme,
        applicant=applicant,
        application=application,
        neighbour=neighbour,
        coordinator=coordinator_membership(tenant, full_name="Sara Samordnare").user,
        hr_a=hr_membership(tenant, org_a, full_name="Hanna HR").user,
        hr_b=hr_membership(tenant, org_b, full_name="Hugo HR").user,
        member_without_roles=MembershipFactory(
            tenant=tenant, is_coordinator=False, user__language="en"
        ).user,
        other_tenant=other_tenant,
        foreign_round=foreign_round,
        foreign_programme=foreign_programme,
        foreign_question=foreign_question,
        foreign_user=foreign_user,
        foreign_application=foreign_application,
        foreign_endorsement=foreign_endorsement,
        foreign_put_forward=foreign_put_forward,
        foreign_coordinator=other_tenant.memberships.filter(is_coordinator=True).first().user,
        foreign_hr=other_tenant.memberships.filter(is_hr_contact=True).first().user,
    )


def client_for(user=None):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def text(response):
    return html.unescape(response.content.decode())


def url(name, tenant, **kwargs):
    return reverse(f"applications:{name}", kwargs={"tenant": tenant.slug, **kwargs})


def snapshot():
    """Everything a forbidden request could have changed, in every tenant."""
    with scopes_disabled():
        return _snapshot()


def _snapshot():
    return {
        "applications": sorted(
            Application.objects.values_list(
                "pk", "stage", "version", "job_title", "manager_email", "answers"
            )
        ),
        "history": StageChange.objects.count(),
        "questions": sorted(Question.objects.values_list("pk", "label", "is_active", "position")),
        "themes": sorted(Theme.objects.values_list("pk", "name", "is_active")),
        "interviews": InterviewNote.objects.count(),
        "nominations": Nomination.objects.count(),
        "endorsements": sorted(
            Endorsement.objects.values_list("pk", "decided_at", "superseded_at")
        ),
        "put_forward": sorted(PutForward.objects.values_list("pk", "used_at")),
        "participants": Participant.objects.count(),
        "field_settings": sorted(
            FieldSettings.objects.values_list("pk", "fields", "card_fields", "records_pair_cost"),
            key=repr,
        ),
        "mail": len(mail.outbox),
    }


def assert_no_foreign_data(content):
    for secret in FOREIGN_SECRETS:
        assert secret not in content, f"{secret!r} leaked from another tenant"


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- coordinator pages ----------------------------------------------------------------------------


def _review_list(w):
    return url("review_list", w.tenant, round_pk=w.round.pk), {
        "selected": [w.application.pk, w.neighbour.pk],
        "decision": "declined",
    }


def _review_detail(w):
    return url("review_detail", w.tenant, pk=w.application.pk), {
        "action": "interview",
        "booking": "i morgon",
        "notes": "läckt anteckning",
    }


def _form_builder(w):
    return url("form_builder", w.tenant, round_pk=w.round.pk), {
        "label": "Insmugen fråga",
        "kind": "short_text",
        "audience": "both",
        "position": "0",
        "is_active": "on",
    }


def _question_edit(w):
    return url("question_edit", w.tenant, pk=w.question.pk), {"action": "delete"}


def _themes(w):
    return url("themes", w.tenant, programme_pk=w.programme.pk), {"name": "Insmuget tema"}


def _field_settings(w):
    return url("field_settings", w.tenant, programme_pk=w.programme.pk), {
        "action": "preset",
        "preset": "association",
    }


COORDINATOR_PAGES = {
    "review_list": (_review_list, [APPLICANT, NEIGHBOUR]),
    "review_detail": (_review_detail, [APPLICANT, "Enhetschef"]),
    "form_builder": (_form_builder, ["Vilken förvaltning?"]),
    "question_edit": (_question_edit, ["Vilken förvaltning?"]),
    "themes": (_themes, ["Förändringsledning"]),
    "field_settings": (_field_settings, ["Chefsmentorprogrammet"]),
}


@pytest.fixture(params=list(COORDINATOR_PAGES))
def coordinator_page(request, world):
    make, expected = COORDINATOR_PAGES[request.param]
    path, data = make(world)
    return SimpleNamespace(name=request.param, path=path, data=data, expected=expected)


def test_coordinator_page_anonymous_signs_in(world, coordinator_page):
    before = snapshot()
    assert_login_redirect(client_for().get(coordinator_page.path))
    assert_login_redirect(client_for().post(coordinator_page.path, coordinator_page.data))
    assert snapshot() == before


@pytest.mark.parametrize("who", ["foreign_coordinator", "foreign_hr", "applicant"])
def test_coordinator_page_is_404_for_non_members(world, coordinator_page, who):
    client = client_for(getattr(world, who))
    before = snapshot()
    assert client.get(coordinator_page.path).status_code == 404
    assert client.post(coordinator_page.path, coordinator_page.data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("who", ["hr_a", "member_without_roles"])
def test_coordinator_page_is_403_without_the_role(world, coordinator_page, who):
    client = client_for(getattr(world, who))
    before = snapshot()
    assert client.get(coordinator_page.path).status_code == 403
    assert client.post(coordinator_page.path, coordinator_page.data).status_code == 403
    assert snapshot() == before


def test_coordinator_page_shows_this_tenants_data(world, coordinator_page):
    response = client_for(world.coordinator).get(coordinator_page.path)
    assert response.status_code == 200
    content = text(response)
    for expected in coordinator_page.expected:
        assert expected in content
    assert_no_foreign_data(content)


def test_coordinator_of_both_tenants_sees_only_the_one_in_the_path(world):
    """A person in both tenants: the path decides which tenant's data they see."""
    MembershipFactory(tenant=world.other_tenant, user=world.coordinator, is_coordinator=True)
    content = text(
        client_for(world.coordinator).get(url("review_list", world.tenant, round_pk=world.round.pk))
    )
    assert APPLICANT in content
    assert_no_foreign_data(content)


FOREIGN_OBJECT_PAGES = [
    ("review_list", lambda w: {"round_pk": w.foreign_round.pk}),
    ("review_detail", lambda w: {"pk": w.foreign_application.pk}),
    ("form_builder", lambda w: {"round_pk": w.foreign_round.pk}),
    ("question_edit", lambda w: {"pk": w.foreign_question.pk}),
    ("themes", lambda w: {"programme_pk": w.foreign_programme.pk}),
    ("field_settings", lambda w: {"programme_pk": w.foreign_programme.pk}),
]


@pytest.mark.parametrize(
    "name, kwargs", FOREIGN_OBJECT_PAGES, ids=[n for n, _k in FOREIGN_OBJECT_PAGES]
)
def test_another_tenants_object_under_ones_own_path_is_404(world, name, kwargs):
    client = client_for(world.coordinator)
    path = url(name, world.tenant, **kwargs(world))
    before = snapshot()
    response = client.get(path)
    assert response.status_code == 404
    assert_no_foreign_data(text(response))
    assert (
        client.post(
            path,
            {
                "action": "delete",
                "name": "x",
                "label": "x",
                "kind": "short_text",
                "audience": "both",
                "position": "0",
                "selected": [world.foreign_application.pk],
                "decision": "declined",
            },
        ).status_code
        == 404
    )
    assert snapshot() == before


def test_bulk_decision_ignores_another_tenants_ids(world):
    """The ids in a bulk form come from the browser: only this round's are taken."""
    world.foreign_application.stage = Stage.UNDER_REVIEW
    world.foreign_application.save()
    client_for(world.coordinator).post(
        url("review_list", world.tenant, round_pk=world.round.pk),
        {"selected": [world.foreign_application.pk], "decision": "declined"},
    )
    world.foreign_application.refresh_from_db()
    assert world.foreign_application.stage == Stage.UNDER_REVIEW


def test_review_filter_with_another_tenants_organisation_shows_nothing_foreign(world):
    with scopes_disabled():
        foreign_org = world.other_tenant.organisations.get(name="Främmande kommun")
    response = client_for(world.coordinator).get(
        url("review_list", world.tenant, round_pk=world.round.pk), {"organisation": foreign_org.pk}
    )
    assert response.status_code == 200
    assert_no_foreign_data(text(response))


# --- HR pages -----------------------------------------------------------------------------------


def _hr_list(w):
    return url("hr_list", w.tenant, round_pk=w.round.pk), None


def _hr_detail(w):
    return url("hr_detail", w.tenant, pk=w.application.pk), {
        "decision": "decline",
        "motivation": "Läckt beslut",
        "version": w.application.version,
    }


def _put_forward(w):
    return url("put_forward", w.tenant, round_pk=w.round.pk), {
        "full_name": "Insmugen Person",
        "email": "insmugen@example.se",
        "role": "adept",
        "organisation": w.org_a.pk,
    }


HR_PAGES = {"hr_list": _hr_list, "hr_detail": _hr_detail, "put_forward": _put_forward}


@pytest.fixture(params=list(HR_PAGES))
def hr_page(request, world):
    path, data = HR_PAGES[request.param](world)
    return SimpleNamespace(name=request.param, path=path, data=data)


def test_hr_page_anonymous_signs_in(world, hr_page):
    before = snapshot()
    assert_login_redirect(client_for().get(hr_page.path))
    if hr_page.data:
        assert_login_redirect(client_for().post(hr_page.path, hr_page.data))
    assert snapshot() == before


@pytest.mark.parametrize("who", ["coordinator", "member_without_roles"])
def test_hr_page_is_403_for_a_member_who_is_no_hr_contact(world, hr_page, who):
    client = client_for(getattr(world, who))
    before = snapshot()
    assert client.get(hr_page.path).status_code == 403
    if hr_page.data:
        assert client.post(hr_page.path, hr_page.data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["foreign_hr", "foreign_coordinator", "applicant"])
def test_hr_page_is_404_for_non_members(world, hr_page, who):
    client = client_for(getattr(world, who))
    before = snapshot()
    assert client.get(hr_page.path).status_code == 404
    if hr_page.data:
        assert client.post(hr_page.path, hr_page.data).status_code == 404
    assert snapshot() == before


def test_hr_contact_of_another_organisation_does_not_see_the_applicant(world):
    client = client_for(world.hr_b)
    before = snapshot()
    path, data = _hr_detail(world)
    assert client.get(path).status_code == 404
    assert client.post(path, data).status_code == 404
    assert snapshot() == before

    listing = client.get(url("hr_list", world.tenant, round_pk=world.round.pk))
    assert listing.status_code == 200
    content = text(listing)
    assert NEIGHBOUR in content
    assert APPLICANT not in content
    assert "Alingsås kommun" not in content
    assert_no_foreign_data(content)


def test_hr_contact_of_the_organisation_sees_the_applicant(world):
    client = client_for(world.hr_a)
    listing = text(client.get(url("hr_list", world.tenant, round_pk=world.round.pk)))
    assert APPLICANT in listing
    assert NEIGHBOUR not in listing
    assert_no_foreign_data(listing)
    path, _data = _hr_detail(world)
    response = client.get(path)
    assert response.status_code == 200
    assert APPLICANT in text(response)
    assert_no_foreign_data(text(response))
    assert client.get(url("put_forward", world.tenant, round_pk=world.round.pk)).status_code == 200


def test_hr_contact_of_two_organisations_sees_both(world):
    both = hr_membership(world.tenant, world.org_a, world.org_b, language="en").user
    listing = text(client_for(both).get(url("hr_list", world.tenant, round_pk=world.round.pk)))
    assert APPLICANT in listing and NEIGHBOUR in listing


def test_hr_detail_of_a_draft_is_404(world):
    draft = make_application(world.round, organisation=world.org_a, full_name="Dora Utkast")
    client = client_for(world.hr_a)
    assert client.get(url("hr_detail", world.tenant, pk=draft.pk)).status_code == 404
    assert "Dora Utkast" not in text(
        client.get(url("hr_list", world.tenant, round_pk=world.round.pk))
    )


def test_hr_pages_with_another_tenants_objects_are_404(world):
    client = client_for(world.hr_a)
    for path in (
        url("hr_list", world.tenant, round_pk=world.foreign_round.pk),
        url("hr_detail", world.tenant, pk=world.foreign_application.pk),
        url("put_forward", world.tenant, round_pk=world.foreign_round.pk),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert_no_foreign_data(text(response))


def test_put_forward_refuses_another_organisation(world):
    before = snapshot()
    response = client_for(world.hr_a).post(
        url("put_forward", world.tenant, round_pk=world.round.pk),
        {
            "full_name": "X",
            "email": "x@example.se",
            "role": "adept",
            "organisation": world.org_b.pk,
        },
    )
    assert response.status_code == 400
    assert snapshot() == before


# --- applicant pages ------------------------------------------------------------------------------

APPLICANT_PAGES = {
    "edit": {"job_title": "Ändrad av någon annan", "organisation": "", "save": "1"},
    "autosave": {"job_title": "Ändrad av någon annan"},
    "withdraw": {"reason": "Någon annan"},
    "resend_endorsement": {
        "manager-manager_name": "Fel Chef",
        "manager-manager_email": "fel@example.se",
    },
}


@pytest.mark.parametrize("name", list(APPLICANT_PAGES))
def test_applicant_page_anonymous_signs_in(world, name):
    before = snapshot()
    path = url(name, world.tenant, pk=world.application.pk)
    if name == "edit":
        assert_login_redirect(client_for().get(path))
    assert_login_redirect(client_for().post(path, APPLICANT_PAGES[name]))
    assert snapshot() == before


@pytest.mark.parametrize("name", list(APPLICANT_PAGES))
@pytest.mark.parametrize("who", ["foreign_user", "coordinator", "hr_a", "neighbour"])
def test_applicant_page_of_another_person_is_404(world, name, who):
    user = world.neighbour.user if who == "neighbour" else getattr(world, who)
    client = client_for(user)
    path = url(name, world.tenant, pk=world.application.pk)
    before = snapshot()
    if name == "edit":
        response = client.get(path)
        assert response.status_code == 404
        assert APPLICANT not in text(response)
    assert client.post(path, APPLICANT_PAGES[name]).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", list(APPLICANT_PAGES))
def test_own_application_under_another_tenants_path_is_404(world, name):
    """The foreign applicant's own application, asked for under this tenant's path."""
    client = client_for(world.foreign_user)
    path = url(name, world.tenant, pk=world.foreign_application.pk)
    before = snapshot()
    if name == "edit":
        assert client.get(path).status_code == 404
    assert client.post(path, APPLICANT_PAGES[name]).status_code == 404
    assert snapshot() == before
    # The same person under their own tenant's path gets their page.
    assert (
        client_for(world.foreign_user)
        .get(url("edit", world.other_tenant, pk=world.foreign_application.pk))
        .status_code
        == 200
    )


def test_my_applications_lists_only_mine_in_this_tenant(world):
    assert_login_redirect(client_for().get(url("my_applications", world.tenant)))
    # The foreign applicant also applies here.
    make_application(
        world.round, user=world.foreign_user, organisation=world.org_b, full_name="Främ Ling här"
    )
    content = text(client_for(world.foreign_user).get(url("my_applications", world.tenant)))
    assert "Chefsmentorprogrammet: Omgång 15" in content
    assert "Främmande omgången" not in content
    mine = text(client_for(world.applicant).get(url("my_applications", world.tenant)))
    assert "Chefsmentorprogrammet: Omgång 15" in mine
    assert_no_foreign_data(mine)
    empty = text(client_for(world.hr_b).get(url("my_applications", world.tenant)))
    assert "You have no applications here." in empty


def test_put_forward_link_of_another_tenant_is_404(world):
    token = world.foreign_put_forward.token
    before = snapshot()
    for client in (client_for(), client_for(world.foreign_user), client_for(world.applicant)):
        response = client.get(url("put_forward_accept", world.tenant, token=token))
        assert response.status_code == 404
        assert_no_foreign_data(text(response))
    assert (
        client_for().get(url("put_forward_accept", world.tenant, token="not-a-token")).status_code
        == 404
    )
    assert snapshot() == before
    assert not Application.objects.filter(round=world.round, user=world.foreign_user).exists()


# --- the apply page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Round.Status.DRAFT, Round.Status.ARCHIVED])
def test_apply_page_of_a_round_that_is_not_public_is_404(world, status):
    world.round.status = status
    world.round.save()
    path = url("apply", world.tenant, round_pk=world.round.pk)
    before = snapshot()
    for client in (client_for(), client_for(world.applicant), client_for(world.coordinator)):
        assert client.get(path).status_code == 404
    assert client_for(world.neighbour.user).post(path, {"role": "mentor"}).status_code == 404
    assert snapshot() == before


def test_apply_page_of_an_inactive_programme_is_404(world):
    world.programme.is_active = False
    world.programme.save()
    path = url("apply", world.tenant, round_pk=world.round.pk)
    assert client_for().get(path).status_code == 404
    assert client_for(world.neighbour.user).post(path, {"role": "mentor"}).status_code == 404
    assert not Application.objects.filter(user=world.neighbour.user, role="mentor").exists()


def test_apply_page_of_another_tenants_round_is_404(world):
    path = url("apply", world.tenant, round_pk=world.foreign_round.pk)
    response = client_for(world.applicant).get(path)
    assert response.status_code == 404
    assert_no_foreign_data(text(response))
    assert client_for(world.applicant).post(path, {"role": "adept"}).status_code == 404
    assert not Application.objects.filter(round=world.foreign_round, user=world.applicant).exists()


def test_apply_post_anonymous_signs_in(world):
    response = client_for().post(
        url("apply", world.tenant, round_pk=world.round.pk), {"role": "adept"}
    )
    assert_login_redirect(response)


# --- the manager's link -------------------------------------------------------------------------------


def _key(endorsement):
    return services.endorsement_url(endorsement).rstrip("/").rsplit("/", 1)[-1]


def test_the_link_works_under_its_own_tenant(world):
    key = _key(world.foreign_endorsement)
    response = client_for().get(url("endorse", world.other_tenant, key=key))
    assert response.status_code == 200
    assert FOREIGN_APPLICANT in text(response)


def test_a_tampered_key_is_410_with_a_clear_message(world):
    key = _key(world.foreign_endorsement)
    tampered = key[:-3] + ("aaa" if not key.endswith("aaa") else "bbb")
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client_for(), method)(
            url("endorse", world.other_tenant, key=tampered), {"supports": "yes"}
        )
        assert response.status_code == 410
        content = text(response)
        assert "The link cannot be used" in content
        assert "This link is not valid. Check that you copied the whole link." in content
        assert FOREIGN_APPLICANT not in content
    garbage = client_for().get(url("endorse", world.other_tenant, key="inte-en-nyckel"))
    assert garbage.status_code == 410
    assert snapshot() == before


def test_a_key_of_another_tenant_shows_nothing(world):
    key = _key(world.foreign_endorsement)
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client_for(), method)(
            url("endorse", world.tenant, key=key), {"supports": "yes"}
        )
        assert response.status_code in (404, 410)
        content = text(response)
        assert "This link is not valid." in content
        assert_no_foreign_data(content)
    assert snapshot() == before
    with scopes_disabled():
        assert Endorsement.objects.get(pk=world.foreign_endorsement.pk).decided_at is None


def test_unknown_tenant_is_404(world):
    response = client_for().get(f"/no-such-tenant/endorse/{_key(world.foreign_endorsement)}/")
    assert response.status_code == 404


def test_roles_in_isolation_cover_every_view():
    """Every route of applications/urls.py is in this module, or named as tested elsewhere."""
    from applications.urls import urlpatterns

    elsewhere = {
        "application_pdf",
        "hr_application_pdf",
        "export",
        "hr_export",
        "import",
        "dossier",
        "job_status",
        "job_start_again",
        "job_download",
        "hr_bulk_nominate",  # tests/applications/test_bulk_nominate.py and tests/test_access.py
    }
    here = (
        set(COORDINATOR_PAGES)
        | set(HR_PAGES)
        | set(APPLICANT_PAGES)
        | {"apply", "my_applications", "put_forward_accept", "endorse"}
    )
    assert {p.name for p in urlpatterns} == here | elsewhere
