"""The matching services against the database, called as a view or the command calls them."""

import csv
from datetime import timedelta

import numpy as np
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application, StageChange
from matching import selectors, services
from matching.models import PairConstraint, Proposal
from mentorship import hooks
from organisations.models import ActivityLog, Organisation
from pairs.models import Pair
from programmes import services as programme_services
from programmes.models import ManagerLevel, Participant, Round
from tests.factories.applications import ApplicationFactory, ThemeFactory
from tests.factories.organisations import OrganisationFactory, UserFactory
from tests.factories.programmes import EligibilityFactory, ProgrammeFactory, RoundFactory
from tests.matching.factories import (
    AcceptedAdeptFactory,
    AcceptedMentorFactory,
    MatchingSettingsFactory,
    PairConstraintFactory,
    PairFactory,
)
from tests.matching.test_solver import maximum_matching

Stage = Application.Stage


@pytest.fixture
def round_(tenant):
    programme = ProgrammeFactory(tenant=tenant)
    return RoundFactory(programme=programme, status=Round.Status.MATCHING, name="Omgång 15")


@pytest.fixture
def orgs(tenant):
    return {
        "boras": OrganisationFactory(
            tenant=tenant, name="Borås Stad", region="Västra Götaland", place="Borås"
        ),
        "alingsas": OrganisationFactory(
            tenant=tenant, name="Alingsås kommun", region="Västra Götaland", place="Alingsås"
        ),
        "region": OrganisationFactory(
            tenant=tenant,
            name="Region Halland",
            region="Halland",
            place="Halmstad",
            kind=Organisation.Kind.REGION,
        ),
        "lst": OrganisationFactory(
            tenant=tenant,
            name="Länsstyrelsen",
            region="Värmland",
            place="Karlstad",
            kind=Organisation.Kind.AGENCY,
        ),
    }


def adept(round_, org, **kw):
    return AcceptedAdeptFactory(round=round_, organisation=org, region=org.region, **kw)


def mentor(round_, org, **kw):
    return AcceptedMentorFactory(round=round_, organisation=org, region=org.region, **kw)


def run(round_, actor=None):
    return services.run_proposal(tenant=round_.tenant, actor=actor, round_=round_)


def pairs_of(proposal):
    return {(p.adept_id, p.mentor_id) for p in proposal.pairs.all()}


def reasons_of(proposal):
    return {r["adept"]: r for r in proposal.summary["unmatched_reasons"]}


# --- a proposal --------------------------------------------------------------------------------


def test_run_proposal_saves_pairs_with_explanations(round_, orgs, coordinator):
    theme = ThemeFactory(programme=round_.programme, tenant=round_.tenant, name="Att leda chefer")
    a = adept(round_, orgs["boras"], themes=[theme], matching_wishes="gärna från en region")
    m = mentor(round_, orgs["region"], themes=[theme])
    proposal = run(round_, coordinator)
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.created_by == coordinator
    assert proposal.name == "Proposal 1"
    pair = proposal.pairs.get()
    assert (pair.adept, pair.mentor) == (a, m)
    assert set(pair.explanation) == {
        "geography",
        "experience",
        "sector",
        "themes",
        "wishes",
        "language",
        "other_area",
        "other_field",
        "education",
        "described_experience",
    }
    assert pair.explanation["themes"] == {
        "points": 6.0,
        "reason": "Shares 1 of the adept's 1 themes: Att leda chefer.",
    }
    assert pair.explanation["geography"]["reason"] == (
        "Västra Götaland and Halland are neighbouring regions."
    )
    assert pair.score == pytest.approx(
        sum(e["points"] for e in pair.explanation.values()), abs=0.05
    )
    summary = proposal.summary
    assert (summary["adepts"], summary["mentors"], summary["matched"], summary["unmatched"]) == (
        1,
        1,
        1,
        0,
    )
    assert set(summary["timing"]) >= {"load", "score", "solve", "explain", "save"}
    assert ActivityLog.objects.filter(
        action="matching.proposal_created", object_id=str(proposal.pk)
    ).exists()


def test_only_accepted_applications_of_the_round_are_matched(round_, orgs, other_tenant):
    a = adept(round_, orgs["boras"])
    adept(round_, orgs["boras"], stage=Stage.UNDER_REVIEW)
    mentor(round_, orgs["alingsas"], stage=Stage.WAITLISTED)
    m = mentor(round_, orgs["region"])
    other_round = RoundFactory(programme=round_.programme)
    mentor(other_round, orgs["lst"])
    foreign = RoundFactory(programme=ProgrammeFactory(tenant=other_tenant))
    AcceptedMentorFactory(round=foreign)
    proposal = run(round_)
    assert pairs_of(proposal) == {(a.pk, m.pk)}
    assert (proposal.summary["adepts"], proposal.summary["mentors"]) == (1, 1)


def test_another_tenants_round_is_refused(round_, other_tenant):
    with pytest.raises(PermissionDenied):
        services.run_proposal(tenant=other_tenant, actor=None, round_=round_)


def test_greedy_trap_in_the_database_matches_everybody(round_, orgs):
    """Adept 1 fits both mentors and likes M1 best; adept 2 can only have M1 (same
    organisation as M2). A best-first loop would strand adept 2."""
    theme = ThemeFactory(programme=round_.programme, tenant=round_.tenant)
    a1 = adept(round_, orgs["boras"], themes=[theme])
    a2 = adept(round_, orgs["alingsas"])
    m1 = mentor(round_, orgs["region"], themes=[theme])
    m2 = mentor(round_, orgs["alingsas"])
    proposal = run(round_)
    assert pairs_of(proposal) == {(a1.pk, m2.pk), (a2.pk, m1.pk)}
    # Independently: who may pair with whom, by organisation alone, and Kuhn's maximum.
    adepts, mentors = [a1, a2], [m1, m2]
    allowed = np.array([[x.organisation_id != y.organisation_id for y in mentors] for x in adepts])
    assert proposal.summary["matched"] == maximum_matching(allowed, [1, 1]) == 2


def test_a_mentor_with_capacity_two_takes_two_adepts(round_, orgs):
    a1, a2 = adept(round_, orgs["boras"]), adept(round_, orgs["alingsas"])
    m = mentor(round_, orgs["region"], capacity=2)
    proposal = run(round_)
    assert pairs_of(proposal) == {(a1.pk, m.pk), (a2.pk, m.pk)}
    assert proposal.summary["places"] == 2


def test_capacity_rule_switched_off(round_, orgs):
    a1, a2 = adept(round_, orgs["boras"]), adept(round_, orgs["alingsas"])
    m = mentor(round_, orgs["region"])
    assert pairs_of(run(round_)) in ({(a1.pk, m.pk)}, {(a2.pk, m.pk)})
    MatchingSettingsFactory(round=round_, enforce_capacity=False)
    assert pairs_of(run(round_)) == {(a1.pk, m.pk), (a2.pk, m.pk)}


# --- hard rules through the database ----------------------------------------------------------


def test_manager_line_is_followed_through_a_three_level_chain(round_, orgs):
    """adept → boss1 (an applicant of an earlier round) → boss2 (known by their login address,
    not their application's) → boss3, who is a mentor in this round."""
    earlier = RoundFactory(programme=round_.programme)
    ApplicationFactory(round=earlier, email="boss1@boras.se", manager_email="Boss2@boras.se")
    boss2 = UserFactory(email="boss2@boras.se")
    ApplicationFactory(
        round=earlier, user=boss2, email="bo.tva@privat.example", manager_email="boss3@boras.se"
    )
    boss3 = mentor(round_, orgs["alingsas"], email="boss3@boras.se", full_name="Tredje Chefen")
    a = adept(round_, orgs["boras"], manager_email="boss1@boras.se", full_name="Adam Adept")
    proposal = run(round_)
    assert pairs_of(proposal) == set()
    reason = reasons_of(proposal)[a.pk]
    assert reason["kind"] == "excluded"
    assert [r["rule"] for r in reason["rules"]] == ["manager_line"]
    assert reason["rules"][0]["example"] == (
        "Tredje Chefen is 3 levels above Adam Adept in their line of managers."
    )
    assert services.check_pair(round_=round_, mentor_app=boss3, adept_app=a) == [
        {"rule": "manager_line", "reason": reason["rules"][0]["example"]}
    ]

    services.save_settings(
        tenant=round_.tenant, actor=None, round_=round_, require_outside_manager_line=False
    )
    assert pairs_of(run(round_)) == {(a.pk, boss3.pk)}


def test_a_manager_cycle_does_not_hang(round_, orgs):
    earlier = RoundFactory(programme=round_.programme)
    ApplicationFactory(round=earlier, email="x@boras.se", manager_email="y@boras.se")
    ApplicationFactory(round=earlier, email="y@boras.se", manager_email="x@boras.se")
    a = adept(round_, orgs["boras"], manager_email="x@boras.se")
    m = mentor(round_, orgs["region"])
    assert pairs_of(run(round_)) == {(a.pk, m.pk)}


def test_a_pair_from_an_earlier_round_is_not_proposed_again(round_, orgs):
    earlier = RoundFactory(programme=round_.programme, name="Omgång 14")
    old = PairFactory(round=earlier, status=Pair.Status.ENDED)
    a = adept(round_, orgs["boras"], user=old.adept_user)
    m = mentor(round_, orgs["region"], user=old.mentor_user)
    proposal = run(round_)
    assert pairs_of(proposal) == set()
    reason = reasons_of(proposal)[a.pk]
    assert reason["rules"][0]["rule"] == "earlier_pair"
    assert "Omgång 14" in reason["rules"][0]["example"]
    services.save_settings(
        tenant=round_.tenant, actor=None, round_=round_, exclude_earlier_pairs=False
    )
    assert pairs_of(run(round_)) == {(a.pk, m.pk)}


def test_different_organisation_switch(round_, orgs):
    a = adept(round_, orgs["boras"])
    m = mentor(round_, orgs["boras"])
    assert pairs_of(run(round_)) == set()
    services.save_settings(
        tenant=round_.tenant, actor=None, round_=round_, require_different_organisation=False
    )
    assert pairs_of(run(round_)) == {(a.pk, m.pk)}


def test_areas_of_one_employer(tenant, round_, orgs):
    parent = OrganisationFactory(tenant=tenant, name="Sjukhusgruppen", kind="region")
    medicin = OrganisationFactory(tenant=tenant, name="Medicinområdet", kind="area", parent=parent)
    kirurgi = OrganisationFactory(tenant=tenant, name="Kirurgiområdet", kind="area", parent=parent)
    a = adept(round_, medicin)
    m = mentor(round_, kirurgi)
    proposal = run(round_)
    assert pairs_of(proposal) == set()
    assert "Both belong to Sjukhusgruppen" in reasons_of(proposal)[a.pk]["rules"][0]["example"]
    services.save_settings(tenant=tenant, actor=None, round_=round_, allow_different_area=True)
    assert pairs_of(run(round_)) == {(a.pk, m.pk)}


def test_a_single_employer_tenant_prefers_another_area_by_default(db):
    city = OrganisationFactory(name="Storviks stad")
    OrganisationFactory(tenant=city.tenant, name="Stadsområde Norr", parent=city, kind="area")
    round_ = RoundFactory(programme=ProgrammeFactory(tenant=city.tenant))
    settings = selectors.settings_for(round_=round_)
    # "Usually from another area" (seed 004): a preference, not a rule that excludes.
    assert settings.require_different_organisation is False
    assert settings.allow_different_area is True and settings.weight_other_area == 6
    # A network of employers keeps the hard rule and no area preference.
    network = OrganisationFactory(name="Älvby kommun")
    OrganisationFactory(tenant=network.tenant, name="Region Väst")
    other = RoundFactory(programme=ProgrammeFactory(tenant=network.tenant))
    settings = selectors.settings_for(round_=other)
    assert settings.require_different_organisation is True and settings.weight_other_area == 0


def test_eligibility_rule(round_, orgs):
    EligibilityFactory(
        round=round_, role="adept", manager_levels=[ManagerLevel.MANAGER_OF_MANAGERS]
    )
    a = adept(round_, orgs["boras"], manager_level=ManagerLevel.FIRST_LINE)
    m = mentor(round_, orgs["region"])
    proposal = run(round_)
    reason = reasons_of(proposal)[a.pk]
    assert reason["rules"][0]["rule"] == "eligibility"
    assert reason["rules"][0]["example"] == (
        "Adepts must be: manager of managers; this person is “first-line manager”."
    )
    services.save_settings(
        tenant=round_.tenant, actor=None, round_=round_, require_eligibility=False
    )
    assert pairs_of(run(round_)) == {(a.pk, m.pk)}


def test_settings_are_validated_and_logged(round_):
    with pytest.raises(ValidationError):
        services.save_settings(tenant=round_.tenant, actor=None, round_=round_, weight_geography=11)
    with pytest.raises(ValidationError):
        services.save_settings(tenant=round_.tenant, actor=None, round_=round_, nonsense=1)
    s = services.save_settings(
        tenant=round_.tenant, actor=None, round_=round_, weight_geography=10, weight_language=0
    )
    assert (s.weight_geography, s.weight_language) == (10, 0)
    assert ActivityLog.objects.filter(action="matching.settings_saved").count() == 1


# --- pins and forbids -----------------------------------------------------------------------------


def test_pins_and_forbids_are_honoured(round_, orgs, coordinator):
    theme = ThemeFactory(programme=round_.programme, tenant=round_.tenant)
    a1 = adept(round_, orgs["boras"], themes=[theme])
    a2 = adept(round_, orgs["alingsas"], themes=[theme])
    m1 = mentor(round_, orgs["region"], themes=[theme])
    m2 = mentor(round_, orgs["lst"])
    services.set_constraint(
        tenant=round_.tenant,
        actor=coordinator,
        round_=round_,
        mentor_app=m2,
        adept_app=a1,
        kind="pin",
        reason="Önskat av adepten",
    )
    services.set_constraint(
        tenant=round_.tenant,
        actor=coordinator,
        round_=round_,
        mentor_app=m1,
        adept_app=a2,
        kind="forbid",
        reason="Jäv",
    )
    proposal = run(round_)
    assert pairs_of(proposal) == {(a1.pk, m2.pk)}
    pinned = proposal.pairs.get()
    assert pinned.pinned
    assert pinned.explanation["pin"]["reason"] == "Pinned by the coordinator: Önskat av adepten"
    reason = reasons_of(proposal)[a2.pk]
    assert reason["kind"] == "capacity"  # m2 is taken by the pin, m1 is forbidden
    # Clearing the forbid lets a2 have m1.
    services.set_constraint(
        tenant=round_.tenant,
        actor=coordinator,
        round_=round_,
        mentor_app=m1,
        adept_app=a2,
        kind="clear",
    )
    assert pairs_of(run(round_)) == {(a1.pk, m2.pk), (a2.pk, m1.pk)}
    actions = set(
        ActivityLog.objects.filter(action__startswith="matching.constraint").values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "matching.constraint_pin",
        "matching.constraint_forbid",
        "matching.constraint_cleared",
    }


def test_pinning_a_pair_that_breaks_a_rule_needs_a_reason(round_, orgs, coordinator):
    a = adept(round_, orgs["boras"])
    m = mentor(round_, orgs["boras"])
    with pytest.raises(ValidationError) as exc:
        services.set_constraint(
            tenant=round_.tenant,
            actor=coordinator,
            round_=round_,
            mentor_app=m,
            adept_app=a,
            kind="pin",
        )
    assert "Both work at Borås Stad." in exc.value.messages
    services.set_constraint(
        tenant=round_.tenant,
        actor=coordinator,
        round_=round_,
        mentor_app=m,
        adept_app=a,
        kind="pin",
        reason="Olika förvaltningar, långt isär",
    )
    pair = run(round_).pairs.get()
    assert pair.pinned
    assert pair.explanation["hard_rules"]["reason"] == "Both work at Borås Stad."
    assert pair.override_reason == "Olika förvaltningar, långt isär"


def test_contradictory_pins_are_reported(round_, orgs):
    a = adept(round_, orgs["boras"], full_name="Ada Adept")
    m1 = mentor(round_, orgs["region"], full_name="Mona Mentor")
    m2 = mentor(round_, orgs["lst"], full_name="Max Mentor")
    PairConstraintFactory(round=round_, mentor=m1, adept=a)
    PairConstraintFactory(round=round_, mentor=m2, adept=a)
    proposal = run(round_)
    assert [p["kind"] for p in proposal.summary["problems"]] == ["adept_pinned_twice"]
    assert proposal.summary["problems"][0]["text"] == (
        "Ada Adept is pinned to several mentors (Mona Mentor, Max Mentor); none of these pins "
        "was applied. Keep one."
    )
    assert proposal.summary["matched"] == 1
    assert not proposal.pairs.get().pinned


def test_more_pins_than_places_are_reported(round_, orgs):
    a1, a2 = adept(round_, orgs["boras"]), adept(round_, orgs["alingsas"])
    m = mentor(round_, orgs["region"], full_name="Mona Mentor")
    PairConstraintFactory(round=round_, mentor=m, adept=a1)
    PairConstraintFactory(round=round_, mentor=m, adept=a2)
    proposal = run(round_)
    assert proposal.summary["problems"][0]["kind"] == "mentor_over_capacity"
    assert "Mona Mentor is pinned to 2 adepts" in proposal.summary["problems"][0]["text"]


# --- why an adept is left out ----------------------------------------------------------------------


def test_no_mentors(round_, orgs):
    a = adept(round_, orgs["boras"])
    proposal = run(round_)
    assert proposal.summary["matched"] == 0
    assert reasons_of(proposal)[a.pk]["kind"] == "no_mentors"
    assert reasons_of(proposal)[a.pk]["text"] == (
        "There are no mentors with a free place in this round."
    )


def test_more_adepts_than_places(round_, orgs):
    adepts = [adept(round_, orgs["boras"]) for _ in range(3)]
    mentor(round_, orgs["region"], full_name="Mona Mentor", capacity=2)
    proposal = run(round_)
    assert proposal.summary["matched"] == 2
    (left,) = proposal.summary["unmatched_reasons"]
    assert left["adept"] in {a.pk for a in adepts}
    assert left["kind"] == "capacity"
    assert left["text"].startswith("Capacity ran out: the only mentor who could take")
    assert "Mona Mentor" in left["text"]


def test_an_adept_whom_every_mentor_is_excluded_for(round_, orgs, coordinator):
    a = adept(round_, orgs["boras"], full_name="Ada Adept")
    other = adept(round_, orgs["alingsas"])
    same_org = mentor(round_, orgs["boras"], full_name="Sam Samma")
    forbidden = mentor(round_, orgs["region"], full_name="Fia Förbjuden", capacity=2)
    PairConstraintFactory(
        round=round_, mentor=forbidden, adept=a, kind=PairConstraint.Kind.FORBID, reason="Jäv"
    )
    proposal = run(round_)
    assert pairs_of(proposal) in ({(other.pk, same_org.pk)}, {(other.pk, forbidden.pk)})
    reason = reasons_of(proposal)[a.pk]
    assert reason["kind"] == "excluded"
    assert [(r["rule"], r["mentors"]) for r in reason["rules"]] == [
        ("different_organisation", ["Sam Samma"]),
        ("forbidden", ["Fia Förbjuden"]),
    ]
    assert reason["text"] == (
        "Every mentor is excluded by a hard rule. Different organisations: 1 mentor "
        "(Sam Samma); Not forbidden by the coordinator: 1 mentor (Fia Förbjuden)."
    )


def test_round_pair_limit(round_, orgs):
    round_.max_pairs = 1
    round_.save()
    adept(round_, orgs["boras"])
    adept(round_, orgs["alingsas"])
    mentor(round_, orgs["region"], capacity=2)
    proposal = run(round_)
    assert proposal.summary["matched"] == 1
    assert proposal.summary["limit_reached"]
    assert proposal.summary["unmatched_reasons"][0]["kind"] == "limit"


# --- check, reassign ------------------------------------------------------------------------------


def test_check_pair_and_reassign(round_, orgs, coordinator):
    a1, a2 = adept(round_, orgs["boras"]), adept(round_, orgs["alingsas"])
    m1, m2 = mentor(round_, orgs["region"]), mentor(round_, orgs["alingsas"])
    proposal = run(round_)
    assert pairs_of(proposal) == {(a1.pk, m2.pk), (a2.pk, m1.pk)}  # the only way to match both
    # a2 with m2: same organisation, and m2's place is taken in this proposal.
    problems = services.check_pair(round_=round_, mentor_app=m2, adept_app=a2, proposal=proposal)
    assert [p["rule"] for p in problems] == ["different_organisation", "capacity"]
    with pytest.raises(ValidationError):
        services.reassign(
            tenant=round_.tenant, actor=coordinator, proposal=proposal, adept_app=a2, mentor_app=m2
        )
    # Take a1 out, then a2 to m2 with an override.
    services.reassign(
        tenant=round_.tenant, actor=coordinator, proposal=proposal, adept_app=a1, mentor_app=None
    )
    pair = services.reassign(
        tenant=round_.tenant,
        actor=coordinator,
        proposal=proposal,
        adept_app=a2,
        mentor_app=m2,
        override_reason="Olika förvaltningar",
    )
    assert pair.override_reason == "Olika förvaltningar"
    assert "Both work at Alingsås kommun." in pair.explanation["hard_rules"]["reason"]
    proposal.refresh_from_db()
    assert pairs_of(proposal) == {(a2.pk, m2.pk)}
    assert proposal.summary["matched"] == 1
    assert [r["kind"] for r in proposal.summary["unmatched_reasons"]] == ["removed"]
    assert (
        ActivityLog.objects.filter(action="matching.pair_overridden").get().data["override_reason"]
        == "Olika förvaltningar"
    )
    # A clean move needs no reason.
    services.reassign(
        tenant=round_.tenant, actor=coordinator, proposal=proposal, adept_app=a1, mentor_app=m1
    )
    assert ActivityLog.objects.filter(action="matching.pair_reassigned").count() == 1


def test_check_pair_reports_stage_problems(round_, orgs):
    a = adept(round_, orgs["boras"], stage=Stage.WAITLISTED)
    m = mentor(round_, orgs["region"])
    assert [p["rule"] for p in services.check_pair(round_=round_, mentor_app=m, adept_app=a)] == [
        "availability"
    ]


# --- publish, end, rematch ------------------------------------------------------------------------


def test_publish_creates_pairs_moves_stages_and_mails_both(
    round_, orgs, coordinator, django_capture_on_commit_callbacks
):
    a = adept(round_, orgs["boras"], full_name="Ada Adept", phone="070-111 11 11")
    m = mentor(
        round_, orgs["region"], full_name="Mona Mentor", job_title="Hälso- och sjukvårdsdirektör"
    )
    a.user.language = "en"
    a.user.save()
    m.user.language = "sv"
    m.user.save()
    proposal = run(round_, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairs = services.publish(tenant=round_.tenant, actor=coordinator, proposal=proposal)
    (pair,) = pairs
    assert (pair.status, pair.mentor, pair.adept) == (Pair.Status.ACTIVE, m, a)
    assert (pair.mentor_user, pair.adept_user, pair.created_from) == (m.user, a.user, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUBLISHED and proposal.published_by == coordinator
    for application in (a, m):
        application.refresh_from_db()
        assert application.stage == Stage.MATCHED
        assert application.version == 2
        change = StageChange.objects.filter(application=application).latest("id")
        assert (change.from_stage, change.to_stage, change.actor) == (
            Stage.ACCEPTED,
            Stage.MATCHED,
            coordinator,
        )
        assert Participant.objects.filter(
            round=round_, user=application.user, role=application.role
        ).exists()
    to_adept = [x for x in mail.outbox if a.email in x.to]
    to_mentor = [x for x in mail.outbox if m.email in x.to]
    assert len(to_adept) == len(to_mentor) == 1
    assert to_adept[0].subject == f"Your mentor in {round_.programme.name}"
    assert "Your mentor is Mona Mentor." in to_adept[0].body
    assert "Hälso- och sjukvårdsdirektör, Region Halland" in to_adept[0].body
    assert m.email in to_adept[0].body
    assert a.email in to_mentor[0].body and "070-111 11 11" in to_mentor[0].body
    assert programme_services.matched_pair_count(round_) == 1
    assert ActivityLog.objects.filter(action="matching.proposal_published").exists()
    with pytest.raises(ValidationError):
        services.publish(tenant=round_.tenant, actor=coordinator, proposal=proposal)


def test_publish_refuses_when_an_application_moved_on(round_, orgs, coordinator):
    a = adept(round_, orgs["boras"])
    mentor(round_, orgs["region"])
    proposal = run(round_)
    Application.objects.filter(pk=a.pk).update(stage=Stage.WITHDRAWN)
    with pytest.raises(ValidationError):
        services.publish(tenant=round_.tenant, actor=coordinator, proposal=proposal)
    assert not Pair.objects.exists()


def test_the_round_cannot_go_below_its_matched_pairs(round_, orgs, coordinator):
    adept(round_, orgs["boras"])
    adept(round_, orgs["alingsas"])
    mentor(round_, orgs["region"], capacity=2)
    services.publish(tenant=round_.tenant, actor=coordinator, proposal=run(round_))
    round_.max_pairs = 1
    with pytest.raises(ValidationError):
        programme_services.validate_round(round_)


def test_start_pair_recorded_after_the_fact_keeps_its_times_and_sends_nothing(
    round_, orgs, coordinator, django_capture_on_commit_callbacks
):
    """The demo's way: no mail, each move to matched and the log row at the given times."""
    a = adept(round_, orgs["boras"])
    m = mentor(round_, orgs["region"])
    then = timezone.now() - timedelta(days=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pair = services.start_pair(
            tenant=round_.tenant,
            round_=round_,
            mentor_app=m,
            adept_app=a,
            actor=coordinator,
            reason="Matched by hand.",
            started_at=then + timedelta(days=2),
            matched_at={a.pk: then, m.pk: then + timedelta(hours=1)},
            notify=False,
        )
    assert mail.outbox == []
    pair.refresh_from_db()
    assert (pair.status, pair.started_at) == (Pair.Status.ACTIVE, then + timedelta(days=2))
    for application, at in ((a, then), (m, then + timedelta(hours=1))):
        application.refresh_from_db()
        change = StageChange.objects.filter(application=application).latest("id")
        assert (application.stage, change.to_stage, change.reason, change.created_at) == (
            Stage.MATCHED,
            Stage.MATCHED,
            "Matched by hand.",
            at,
        )
        assert Participant.objects.filter(round=round_, user=application.user).exists()
    entry = ActivityLog.objects.get(action="matching.pair_started")
    assert entry.object_id == str(pair.pk) and entry.created_at == then + timedelta(days=2)
    assert (entry.data["mentor"], entry.data["adept"]) == (m.pk, a.pk)


def test_start_pair_refuses_an_application_of_another_round_or_tenant(round_, orgs, coordinator):
    a = adept(round_, orgs["boras"])
    other_round = RoundFactory(programme=round_.programme, status=Round.Status.MATCHING)
    elsewhere = AcceptedMentorFactory(round=other_round, organisation=orgs["region"])
    with pytest.raises(ValidationError):
        services.start_pair(
            tenant=round_.tenant,
            round_=round_,
            mentor_app=elsewhere,
            adept_app=a,
            actor=coordinator,
            reason="",
        )
    foreign = AcceptedMentorFactory()  # another tenant
    with pytest.raises(PermissionDenied):
        services.start_pair(
            tenant=round_.tenant,
            round_=round_,
            mentor_app=foreign,
            adept_app=a,
            actor=coordinator,
            reason="",
        )
    assert not Pair.objects.filter(adept=a).exists()


def test_end_pair_and_rematch(round_, orgs, coordinator, django_capture_on_commit_callbacks):
    theme = ThemeFactory(programme=round_.programme, tenant=round_.tenant)
    a = adept(round_, orgs["boras"], themes=[theme])
    m1 = mentor(round_, orgs["region"], themes=[theme])
    m2 = mentor(round_, orgs["lst"])
    a.user.language = "en"
    a.user.save()
    (pair,) = services.publish(tenant=round_.tenant, actor=coordinator, proposal=run(round_))
    assert pair.mentor == m1
    m2.refresh_from_db()
    assert m2.stage == Stage.ACCEPTED
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.end_pair(
            tenant=round_.tenant, actor=coordinator, pair=pair, reason=Pair.EndReason.OTHER
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.end_pair(
            tenant=round_.tenant,
            actor=coordinator,
            pair=pair,
            reason=Pair.EndReason.CHANGED_JOB,
            note="Ny tjänst i Göteborg",
        )
    pair.refresh_from_db()
    assert (pair.status, pair.end_reason, pair.end_note) == (
        Pair.Status.ENDED,
        Pair.EndReason.CHANGED_JOB,
        "Ny tjänst i Göteborg",
    )
    assert pair.ended_at is not None
    a.refresh_from_db()
    assert a.stage == Stage.ACCEPTED
    assert StageChange.objects.filter(application=a).latest("id").from_stage == Stage.MATCHED
    assert {tuple(x.to) for x in mail.outbox} == {(a.email,), (m1.email,)}
    # Each in their own language: the adept reads English, the mentor Swedish (the default).
    subjects = {x.to[0]: x.subject for x in mail.outbox}
    assert subjects[a.email] == f"Your pair in {round_.programme.name} has ended"
    assert subjects[m1.email] == f"Ert par i {round_.programme.name} har avslutats"
    assert programme_services.matched_pair_count(round_) == 0
    assert ActivityLog.objects.filter(action="matching.pair_ended").exists()
    # Rematch: m1 (still matched, with its place free again) is not proposed again.
    proposal = run(round_)
    assert pairs_of(proposal) == {(a.pk, m2.pk)}
    services.publish(tenant=round_.tenant, actor=coordinator, proposal=proposal)
    assert Pair.objects.filter(adept=a, status=Pair.Status.ACTIVE).get().mentor == m2
    with pytest.raises(ValidationError):
        services.end_pair(
            tenant=round_.tenant, actor=coordinator, pair=pair, reason=Pair.EndReason.BY_AGREEMENT
        )


def test_a_pair_ended_after_its_round_is_over_keeps_the_adept_matched(round_, orgs, coordinator):
    """Once the round is closed the pair has had its year: ending it does not send the adept
    back to be matched (a pair ended while the round runs does, above)."""
    a = adept(round_, orgs["boras"])
    mentor(round_, orgs["region"])
    (pair,) = services.publish(tenant=round_.tenant, actor=coordinator, proposal=run(round_))
    round_.status = Round.Status.CLOSED
    round_.save(update_fields=["status"])
    services.end_pair(
        tenant=round_.tenant, actor=coordinator, pair=pair, reason=Pair.EndReason.BY_AGREEMENT
    )
    pair.refresh_from_db()
    a.refresh_from_db()
    assert pair.status == Pair.Status.ENDED
    assert a.stage == Stage.MATCHED
    assert not StageChange.objects.filter(application=a, from_stage=Stage.MATCHED).exists()
    assert ActivityLog.objects.filter(action="matching.pair_ended").count() == 1


def test_a_matched_mentor_with_a_free_place_stays_in_the_bank(round_, orgs, coordinator):
    a1 = adept(round_, orgs["boras"])
    m = mentor(round_, orgs["region"], capacity=2)
    services.publish(tenant=round_.tenant, actor=coordinator, proposal=run(round_))
    a2 = adept(round_, orgs["alingsas"])
    proposal = run(round_)
    assert pairs_of(proposal) == {(a2.pk, m.pk)}
    services.publish(tenant=round_.tenant, actor=coordinator, proposal=proposal)
    assert Pair.objects.filter(mentor=m, status=Pair.Status.ACTIVE).count() == 2
    assert run(round_).summary["mentors"] == 0  # full now
    assert Pair.objects.filter(adept=a1, mentor=m).exists()


# --- the command, and the number of queries -------------------------------------------------------


def test_match_round_command_writes_the_csv(round_, orgs, tmp_path):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.MATCHING)
    a1, a2 = adept(round_, orgs["boras"]), adept(round_, orgs["alingsas"])
    m = mentor(round_, orgs["region"])
    out = tmp_path / "pairs.csv"
    call_command(
        "match_round",
        "--tenant",
        round_.tenant.slug,
        "--round",
        str(round_.pk),
        "--output",
        str(out),
    )
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["mentor_email", "adept_email", "score"]
    assert len(rows) == 2
    assert rows[1][0] == m.email and rows[1][1] in {a1.email, a2.email}
    proposal = Proposal.objects.get(round=round_)
    assert proposal.created_by is None and proposal.summary["matched"] == 1
    assert float(rows[1][2]) == pytest.approx(proposal.pairs.get().score, abs=0.01)


def test_match_round_command_unknown_round(round_):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("match_round", "--tenant", round_.tenant.slug, "--round", "999999")


def test_match_round_refuses_a_round_not_in_matching_and_says_why(round_, orgs):
    from django.core.management.base import CommandError

    adept(round_, orgs["boras"])
    mentor(round_, orgs["region"])
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.OPEN)
    round_.tenant.default_language = "en"
    round_.tenant.save()
    args = ("match_round", "--tenant", round_.tenant.slug, "--round", str(round_.pk))
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    assert "not “Matching”" in str(refused.value)
    assert not Proposal.objects.filter(round=round_).exists()


def test_match_round_with_nothing_to_match_says_where_the_applications_are(round_, orgs):
    from django.core.management.base import CommandError

    Round.objects.filter(pk=round_.pk).update(status=Round.Status.MATCHING)
    mentor(round_, orgs["region"])
    for _k in range(3):
        ApplicationFactory(
            round=round_, organisation=orgs["boras"], role="adept", stage=Stage.SUBMITTED
        )
    args = ("match_round", "--tenant", round_.tenant.slug, "--round", str(round_.pk))
    round_.tenant.default_language = "en"
    round_.tenant.save()
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    assert str(refused.value) == (
        "Nothing to match: 0 accepted adepts without a mentor and 1 accepted mentor. "
        "3 applications are submitted but not accepted: decide on the review list first."
    )
    assert not Proposal.objects.filter(round=round_).exists()


def _queries_for(round_):
    with CaptureQueriesContext(connection) as ctx:
        run(round_)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_round(tenant, orgs):
    small = RoundFactory(programme=ProgrammeFactory(tenant=tenant))
    large = RoundFactory(programme=ProgrammeFactory(tenant=tenant))
    theme = ThemeFactory(programme=small.programme, tenant=tenant)
    for r, n in ((small, 2), (large, 12)):
        for k in range(n):
            adept(r, orgs["boras"], themes=[theme], manager_email=f"chef{k}@x.se")
            mentor(r, orgs["region"])
    assert _queries_for(small) == _queries_for(large)


def test_hooks_are_registered():
    from organisations import activity

    assert selectors.active_pair_count in hooks.MATCHED_PAIR_COUNTERS
    assert str(activity.LABELS["matching.pair_ended"]) == "Pair ended"


def test_a_saved_proposal_is_what_a_straightforward_reference_gives(tenant, round_, orgs):
    """run_proposal (arrays, translations looked up once per run, pairs written with COPY)
    against a plain reference on a small random round: every pair scored and checked one by
    one with the per-pair explanations, the optimum found by brute force over the solver's
    own problem. The pairs, scores and reasons saved are the reference's."""
    import itertools
    import random

    from django.utils import translation

    from matching import criteria

    rng = random.Random(15)
    org_list = list(orgs.values())
    levels = [ManagerLevel.FIRST_LINE, ManagerLevel.MANAGER_OF_MANAGERS, ""]
    themes = [ThemeFactory(tenant=tenant, programme=round_.programme) for _ in range(3)]
    wishes = ["", "Gärna någon inom skola", "Halland", "förvaltningschef i Borås"]
    people = []
    for k in range(11):
        make = adept if k < 6 else mentor
        person = make(
            round_,
            rng.choice(org_list),
            manager_level=rng.choice(levels),
            years_as_manager=rng.choice([None, 2, 8, 15]),
            matching_wishes=rng.choice(wishes) if k < 6 else "",
            prefers_other_sector=rng.random() < 0.4,
            languages=rng.choice(["svenska", "svenska, engelska", "finska"]),
            capacity=rng.choice([1, 2]),
        )
        person.themes.set(rng.sample(themes, rng.randint(0, 2)))
        people.append(person)
    with translation.override("sv"):
        proposal = run(round_)
        settings = selectors.settings_for(round_=round_)
        pool = selectors.load_pool(tenant=tenant, round_=round_, settings=settings)
        n_a, n_m = pool.shape
        allowed = np.zeros((n_a, n_m), dtype=bool)
        points = np.zeros((n_a, n_m))
        expected = {}
        for i, a in enumerate(pool.adepts):
            for j, m in enumerate(pool.mentors):
                allowed[i, j] = not criteria.breaches(pool, settings, a, m)
                points[i, j], explanation = criteria.explain_pair(pool, settings, a, m)
                expected[(a.application_id, m.application_id)] = explanation
    capacity = [m.capacity for m in pool.mentors]
    best = (-1, -1.0)
    for choice in itertools.product(range(-1, n_m), repeat=n_a):
        if any(j >= 0 and not allowed[i, j] for i, j in enumerate(choice)):
            continue
        if any(choice.count(j) > capacity[j] for j in range(n_m)):
            continue
        chosen = [(i, j) for i, j in enumerate(choice) if j >= 0]
        best = max(best, (len(chosen), round(sum(points[i, j] for i, j in chosen), 4)))
    saved = list(proposal.pairs.all())
    assert len(saved) == best[0] == maximum_matching(allowed, capacity)
    assert round(sum(p.score for p in saved), 4) == pytest.approx(best[1])
    for p in saved:
        i, j = pool.adept_index[p.adept_id], pool.mentor_index[p.mentor_id]
        assert allowed[i, j]
        assert p.score == round(points[i, j], 4)
        assert p.explanation == expected[(p.adept_id, p.mentor_id)]
        assert p.tenant_id == tenant.pk and not p.pinned and p.override_reason == ""
    assert proposal.summary["matched"] == len(saved)
