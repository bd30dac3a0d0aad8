"""The mentor bank (seed 004): HR registers a new manager, ranks the bank, chooses a mentor."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, StageChange
from bank import selectors as bank_selectors
from bank import services as bank
from matching import services as matching_services
from organisations.models import ActivityLog, Organisation, User
from pairs.models import Pair
from programmes.models import ManagerLevel, Participant, Programme, Round
from tests.factories.organisations import MembershipFactory, OrganisationFactory, TenantFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory, PairFactory

Stage = Application.Stage


def bank_mail_body(mails):
    return "".join(m.body for m in mails)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def make_bank(tenant, *, prefix="", programme_slug="bank"):
    """A hospital group: one root, areas A and B in Halland, C far north; a standing round."""
    root = OrganisationFactory(
        tenant=tenant,
        name=f"{prefix}Sjukhusgruppen",
        kind=Organisation.Kind.REGION,
        region="Halland",
    )
    areas = {
        key: OrganisationFactory(
            tenant=tenant,
            name=f"{prefix}Område {key}",
            kind=Organisation.Kind.AREA,
            region=region,
            place=place,
            parent=root,
        )
        for key, region, place in (
            ("A", "Halland", "Strandby"),
            ("B", "Halland", "Klippvik"),
            ("C", "Norrbotten", "Kiruna"),
        )
    }
    programme = ProgrammeFactory(
        tenant=tenant,
        slug=programme_slug,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.HR_ASSIGNS,
    )
    round_ = RoundFactory(programme=programme, status=Round.Status.RUNNING, name="Löpande")
    return round_, areas


def mentor(round_, org, name, **kwargs):
    return AcceptedMentorFactory(
        round=round_,
        organisation=org,
        region=org.region,
        full_name=name,
        email=f"{name.lower().replace(' ', '.')}@sjukhus.example",
        **kwargs,
    )


@pytest.fixture
def world(tenant):
    User.objects.all().update(language="en")
    round_, areas = make_bank(tenant)
    # This group keeps "different organisations" as a hard rule (one employer's default is
    # the area preference alone), so a mentor of the adept's own area is refused, with why.
    matching_services.save_settings(
        tenant=tenant, actor=None, round_=round_, require_different_organisation=True
    )
    people = {
        "own": mentor(round_, areas["A"], "Anna Egen"),
        "near": mentor(round_, areas["B"], "Bo Nära"),
        "far": mentor(round_, areas["C"], "Cecilia Fjärran"),
        "full": mentor(round_, areas["B"], "Doris Full"),
    }
    # Her one place is taken (by an adept of the group: every organisation is under one root).
    PairFactory(
        round=round_,
        mentor=people["full"],
        adept=AcceptedAdeptFactory(
            round=round_, organisation=areas["C"], stage=Stage.MATCHED, full_name="Eva Tagen"
        ),
    )
    hr_user = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[areas["A"]]
    ).user
    other_hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[areas["C"]]
    ).user
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    User.objects.all().update(language="en")
    return {
        "round": round_,
        "areas": areas,
        "mentors": people,
        "hr": hr_user,
        "other_hr": other_hr,
        "coordinator": coordinator,
        "membership": hr_user.memberships.get(tenant=tenant),
    }


def register(world, tenant, **extra):
    return bank.register_new_manager(
        tenant=tenant,
        actor=world["hr"],
        membership=world["membership"],
        round_=world["round"],
        full_name="Nils Nyanställd",
        email="Nils.Ny@sjukhus.example",
        organisation=world["areas"]["A"],
        job_title="Enhetschef",
        manager_level=ManagerLevel.FIRST_LINE,
        years_as_manager=0,
        manager_email="chefen@sjukhus.example",
        **extra,
    )


def url(name, tenant, *args):
    return reverse(f"matching_bank:{name}", args=[tenant.slug, *args])


# --- services --------------------------------------------------------------------------------


def test_register_creates_user_and_accepted_application_with_history(world, tenant):
    adept = register(world, tenant)
    assert adept.stage == Stage.ACCEPTED
    assert adept.user.email == "nils.ny@sjukhus.example"
    assert User.objects.filter(email="nils.ny@sjukhus.example").count() == 1
    change = StageChange.objects.get(application=adept)
    assert (change.from_stage, change.to_stage, change.actor) == ("", Stage.ACCEPTED, world["hr"])
    assert ActivityLog.objects.filter(action="matching.bank_registered").exists()
    assert Participant.objects.filter(round=world["round"], user=adept.user, role="adept").exists()


def test_register_refuses_another_organisation_and_twice(world, tenant):
    with pytest.raises(PermissionDenied):
        bank.register_new_manager(
            tenant=tenant,
            actor=world["hr"],
            membership=world["membership"],
            round_=world["round"],
            full_name="X",
            email="x@sjukhus.example",
            organisation=world["areas"]["C"],
        )
    register(world, tenant)
    with pytest.raises(Exception, match="already an adept"):
        register(world, tenant)


def test_register_refuses_the_new_managers_own_address_as_their_managers(world, tenant):
    with pytest.raises(ValidationError) as caught:
        bank.register_new_manager(
            tenant=tenant,
            actor=world["hr"],
            membership=world["membership"],
            round_=world["round"],
            full_name="Nils Nyanställd",
            email="Nils.Ny@sjukhus.example",
            organisation=world["areas"]["A"],
            manager_email=" NILS.NY@sjukhus.example",
        )
    assert caught.value.message_dict["manager_email"] == [
        "Give your manager's address, not your own."
    ]
    assert not Application.objects.filter(
        round=world["round"], email="nils.ny@sjukhus.example"
    ).exists()


def test_ranking_uses_the_criteria(world, tenant):
    adept = register(world, tenant)
    suggestions, excluded = bank_selectors.rank_mentors(
        tenant=tenant, round_=world["round"], adept_app=adept
    )
    names = [s.mentor.full_name for s in suggestions]
    # The closer region first; the full mentor not offered at all.
    assert names == ["Bo Nära", "Cecilia Fjärran"]
    assert suggestions[0].score > suggestions[1].score
    assert [s.rank for s in suggestions] == [1, 2]
    geography = {row["key"]: row for row in suggestions[0].explanation}["geography"]
    assert "Halland" in geography["reason"]
    # The mentor from the adept's own area is excluded, with the rule's reason.
    assert [e.mentor.full_name for e in excluded] == ["Anna Egen"]
    assert excluded[0].breaches[0]["rule"] == "different_organisation"
    assert "Område A" in excluded[0].breaches[0]["reason"]
    assert all("Doris" not in s.mentor.full_name for s in suggestions + excluded)


def test_rule_switched_off_lets_the_own_area_mentor_in(world, tenant):
    from matching import services

    services.save_settings(
        tenant=tenant, actor=None, round_=world["round"], require_different_organisation=False
    )
    adept = register(world, tenant)
    suggestions, excluded = bank_selectors.rank_mentors(
        tenant=tenant, round_=world["round"], adept_app=adept
    )
    assert "Anna Egen" in [s.mentor.full_name for s in suggestions]
    assert excluded == []


def test_manager_line_excludes_the_adepts_manager(world, tenant):
    boss = world["mentors"]["near"]
    adept = register(world, tenant)
    Application.objects.filter(pk=adept.pk).update(manager_email=boss.email)
    adept.refresh_from_db()
    suggestions, excluded = bank_selectors.rank_mentors(
        tenant=tenant, round_=world["round"], adept_app=adept
    )
    assert "Bo Nära" not in [s.mentor.full_name for s in suggestions]
    assert {b["rule"] for e in excluded if e.mentor == boss for b in e.breaches} == {"manager_line"}


def test_assign_creates_active_pair_and_mails_both(
    world, tenant, django_capture_on_commit_callbacks
):
    adept = register(world, tenant)
    chosen = world["mentors"]["near"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pair = bank.assign(
            tenant=tenant,
            actor=world["hr"],
            round_=world["round"],
            adept_app=adept,
            mentor_app=chosen,
        )
    assert pair.status == Pair.Status.ACTIVE
    assert (pair.mentor, pair.adept) == (chosen, adept)
    adept.refresh_from_db()
    assert adept.stage == Stage.MATCHED
    to_mentor = [m for m in mail.outbox if m.to == [chosen.email]]
    to_adept = [m for m in mail.outbox if m.to == [adept.email]]
    assert to_adept, "the adept gets the normal pair mail"
    assert any("Bo Nära" in m.body for m in to_adept)  # in the tenant's language
    # Registered by HR, the new manager has no password yet: the mail has the link to choose
    # one, and the pair's page (issue 14).
    assert "/accounts/password/reset/key/" in to_adept[0].body
    assert f"/{tenant.slug}/my/pairs/{pair.pk}/" in to_adept[0].body
    assert "/accounts/password/reset/key/" not in bank_mail_body(to_mentor)
    bank_mail = [m for m in to_mentor if "Please contact Nils Nyanställd" in m.body]
    assert len(bank_mail) == 1
    assert "nils.ny@sjukhus.example" in bank_mail[0].body
    assert ActivityLog.objects.filter(action="matching.bank_assigned").exists()
    # The mentor now has no place left; the next new manager is not offered her.
    second = bank.register_new_manager(
        tenant=tenant,
        actor=world["hr"],
        membership=world["membership"],
        round_=world["round"],
        full_name="Olle Två",
        email="olle@sjukhus.example",
        organisation=world["areas"]["A"],
    )
    suggestions, _excluded = bank_selectors.rank_mentors(
        tenant=tenant, round_=world["round"], adept_app=second
    )
    assert [s.mentor.full_name for s in suggestions] == ["Cecilia Fjärran"]


def test_assign_refuses_a_full_mentor_and_a_broken_rule(world, tenant):
    adept = register(world, tenant)
    for m in (world["mentors"]["full"], world["mentors"]["own"]):
        with pytest.raises(Exception):  # noqa: B017 - ValidationError with the reason
            bank.assign(
                tenant=tenant,
                actor=world["hr"],
                round_=world["round"],
                adept_app=adept,
                mentor_app=m,
            )
    assert not Pair.objects.filter(adept=adept).exists()


# --- pages -----------------------------------------------------------------------------------


def test_hr_registers_and_chooses_through_the_pages(world, tenant):
    hr = client_for(world["hr"])
    r = world["round"]
    assert hr.get(url("hr_bank_home", tenant, r.pk)).status_code == 200
    form = hr.get(url("hr_bank_register", tenant, r.pk))
    assert form.status_code == 200
    # Only the HR contact's own organisations are offered.
    choices = [str(o) for o in form.context["form"].fields["organisation"].queryset]
    assert choices == [world["areas"]["A"].name]
    response = hr.post(
        url("hr_bank_register", tenant, r.pk),
        {
            "full_name": "Nils Nyanställd",
            "email": "nils@sjukhus.example",
            "organisation": world["areas"]["A"].pk,
            "manager_level": "first_line",
        },
    )
    assert response.status_code == 302
    adept = Application.objects.get(email="nils@sjukhus.example")
    assert response["Location"] == url("hr_bank_suggestions", tenant, r.pk, adept.pk)
    page = hr.get(response["Location"])
    content = page.content.decode()
    assert content.index("Bo Nära") < content.index("Cecilia Fjärran")
    assert "Anna Egen" in content and "Both work at" in content
    assert "Doris Full" not in content
    response = hr.post(
        url("hr_bank_choose", tenant, r.pk, adept.pk), {"mentor": world["mentors"]["near"].pk}
    )
    pair = Pair.objects.get(adept=adept, status=Pair.Status.ACTIVE)
    assert response["Location"] == url("hr_bank_done", tenant, r.pk, pair.pk)
    assert "Bo Nära" in hr.get(response["Location"]).content.decode()


def test_posting_an_other_area_organisation_is_refused(world, tenant):
    hr = client_for(world["hr"])
    r = world["round"]
    response = hr.post(
        url("hr_bank_register", tenant, r.pk),
        {"full_name": "X", "email": "x@sjukhus.example", "organisation": world["areas"]["C"].pk},
    )
    assert response.status_code == 400
    assert not Application.objects.filter(email="x@sjukhus.example").exists()


def test_hr_of_another_organisation_gets_404(world, tenant):
    adept = register(world, tenant)
    other = client_for(world["other_hr"])
    r = world["round"]
    assert other.get(url("hr_bank_suggestions", tenant, r.pk, adept.pk)).status_code == 404
    response = other.post(
        url("hr_bank_choose", tenant, r.pk, adept.pk), {"mentor": world["mentors"]["near"].pk}
    )
    assert response.status_code == 404
    assert not Pair.objects.filter(adept=adept).exists()


def test_other_tenant_gets_404(world, tenant):
    adept = register(world, tenant)
    stranger_tenant = TenantFactory()
    org = OrganisationFactory(tenant=stranger_tenant)
    stranger = MembershipFactory(
        tenant=stranger_tenant, is_coordinator=True, is_hr_contact=True, organisations=[org]
    ).user
    client = client_for(stranger)
    r = world["round"]
    # Not a member of this tenant.
    assert client.get(url("hr_bank_suggestions", tenant, r.pk, adept.pk)).status_code == 404
    assert client.get(url("manage_bank_suggestions", tenant, r.pk, adept.pk)).status_code == 404
    # Their own tenant's address with this tenant's round and adept.
    assert (
        client.get(url("hr_bank_suggestions", stranger_tenant, r.pk, adept.pk)).status_code == 404
    )
    assert (
        client.get(url("manage_bank_suggestions", stranger_tenant, r.pk, adept.pk)).status_code
        == 404
    )


def test_anonymous_is_sent_to_sign_in(world, tenant):
    adept = register(world, tenant)
    r = world["round"]
    for name, args in (
        ("hr_bank_home", [r.pk]),
        ("hr_bank_register", [r.pk]),
        ("hr_bank_suggestions", [r.pk, adept.pk]),
        ("manage_bank_suggestions", [r.pk, adept.pk]),
    ):
        response = Client().get(url(name, tenant, *args))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_coordinator_uses_the_manage_pages_for_any_organisation(world, tenant):
    coord = client_for(world["coordinator"])
    r = world["round"]
    form = coord.get(url("manage_bank_register", tenant, r.pk))
    assert form.status_code == 200
    assert len(form.context["form"].fields["organisation"].queryset) == 4
    response = coord.post(
        url("manage_bank_register", tenant, r.pk),
        {
            "full_name": "Cia Norr",
            "email": "cia@sjukhus.example",
            "organisation": world["areas"]["C"].pk,
        },
    )
    adept = Application.objects.get(email="cia@sjukhus.example")
    assert response["Location"] == url("manage_bank_suggestions", tenant, r.pk, adept.pk)
    assert coord.get(response["Location"]).status_code == 200
    # An HR contact is not a coordinator.
    hr = client_for(world["hr"])
    assert hr.get(url("manage_bank_home", tenant, r.pk)).status_code == 403


def test_the_coordinators_bank_links_to_the_settings_its_suggestions_follow(world, tenant):
    """The bank's suggestions are ranked with the round's matching settings (the area weight of
    seed 004): the coordinator reaches them from the bank, on a page without proposals."""
    coord = client_for(world["coordinator"])
    r = world["round"]
    settings_url = reverse("matching:home", args=[tenant.slug, r.pk])
    assert settings_url in coord.get(url("manage_bank_home", tenant, r.pk)).content.decode()
    page = coord.get(settings_url).content.decode()
    assert 'name="weight_other_area"' in page and 'id="settings-only"' in page
    assert url("manage_bank_home", tenant, r.pk) in page
    assert reverse("matching:run", args=[tenant.slug, r.pk]) not in page
    assert 'id="proposals-title"' not in page
    hr = client_for(world["hr"])
    assert settings_url not in hr.get(url("hr_bank_home", tenant, r.pk)).content.decode()


def test_round_without_a_bank_is_404(world, tenant):
    cohort = RoundFactory(programme=ProgrammeFactory(tenant=tenant), status=Round.Status.RUNNING)
    hr = client_for(world["hr"])
    assert hr.get(url("hr_bank_home", tenant, cohort.pk)).status_code == 404


def test_hr_home_links_to_the_bank(world, tenant):
    hr = client_for(world["hr"])
    page = hr.get(reverse("organisations:hr_home", args=[tenant.slug])).content.decode()
    assert url("hr_bank_home", tenant, world["round"].pk) in page


def _ranking_page_queries(tenant, n):
    round_, areas = make_bank(tenant, programme_slug=f"bank-{n}")
    for k in range(n):
        mentor(round_, areas["BC"[k % 2]], f"Mentor {n} {k:02d}")
    membership = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[areas["A"]]
    )
    adept = AcceptedAdeptFactory(
        round=round_, organisation=areas["A"], region="Halland", full_name="Nils"
    )
    client = client_for(membership.user)
    address = url("hr_bank_suggestions", tenant, round_.pk, adept.pk)
    client.get(address)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    assert len(response.context["suggestions"]) == min(n, 10)
    return len(ctx.captured_queries)


def test_ranking_page_query_count_does_not_grow(db):
    assert _ranking_page_queries(TenantFactory(), 5) == _ranking_page_queries(TenantFactory(), 20)
