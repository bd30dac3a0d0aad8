"""The coordinator's matching pages and the end-pair pages, walked through the test client."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from matching.models import MatchingSettings, PairConstraint, Proposal, ProposedPair
from organisations.models import ActivityLog, User
from pairs.models import Pair
from programmes.models import Round
from tests.factories.organisations import MembershipFactory, OrganisationFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory, PairFactory

Stage = Application.Stage


def english(*users):
    User.objects.filter(pk__in=[u.pk for u in users]).update(language="en")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def make_world(tenant, *, people=3, prefix=""):
    """A round in matching with ``people`` mentors and as many adepts, one of each per
    organisation (so the different-organisation rule forbids exactly the pair from one place)."""
    programme = ProgrammeFactory(tenant=tenant, name="Chefsmentorprogrammet")
    round_ = RoundFactory(programme=programme, status=Round.Status.MATCHING, name="Omgång 15")
    orgs, mentors, adepts = [], [], []
    for n in range(people):
        org = OrganisationFactory(tenant=tenant, name=f"{prefix}Kommun {n:02d}", place=f"Ort {n}")
        orgs.append(org)
        mentors.append(
            AcceptedMentorFactory(
                round=round_,
                organisation=org,
                region=org.region,
                full_name=f"Mentor {n:02d}",
                email=f"mentor{n}@{prefix.strip().lower() or 'x'}.kommun{n}.example",
            )
        )
        adepts.append(
            AcceptedAdeptFactory(
                round=round_,
                organisation=org,
                region=org.region,
                full_name=f"Adept {n:02d}",
                email=f"adept{n}@{prefix.strip().lower() or 'x'}.kommun{n}.example",
            )
        )
    return round_, orgs, mentors, adepts


@pytest.fixture
def world(tenant, coordinator, hr_contact):
    english(coordinator, hr_contact)
    round_, orgs, mentors, adepts = make_world(tenant)
    return round_, orgs, mentors, adepts


@pytest.fixture
def coord(coordinator):
    return client_for(coordinator)


def run(coord, round_, name=""):
    response = coord.post(
        reverse("matching:run", args=[round_.tenant.slug, round_.pk]), {"name": name}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.filter(round=round_).order_by("-id").first()
    assert response["Location"] == reverse(
        "matching:proposal", args=[round_.tenant.slug, proposal.pk]
    )
    return proposal


def spare_mentor(round_, org):
    """A mentor added after the proposal was computed: free, so no capacity breach."""
    return AcceptedMentorFactory(
        round=round_, organisation=org, region=org.region, full_name="Mentor Ledig"
    )


def adjust_url(proposal, adept):
    return reverse("matching:adjust", args=[proposal.tenant.slug, proposal.pk, adept.pk])


def test_round_dashboard_links_to_matching_and_pairs(world, coord, tenant):
    round_ = world[0]
    response = coord.get(reverse("programmes:round_dashboard", args=[tenant.slug, round_.pk]))
    assert reverse("matching:home", args=[tenant.slug, round_.pk]) in response.content.decode()
    assert reverse("matching:pairs", args=[tenant.slug, round_.pk]) in response.content.decode()


def test_settings_form_saves_rules_and_weights(world, coord, tenant):
    round_ = world[0]
    url = reverse("matching:home", args=[tenant.slug, round_.pk])
    page = coord.get(url)
    assert page.status_code == 200
    assert "Hard rules" in page.content.decode()
    data = {
        "require_different_organisation": "on",
        "require_outside_manager_line": "on",
        "require_eligibility": "on",
        "exclude_earlier_pairs": "on",
        "weight_geography": 2,
        "weight_experience": 5,
        "weight_sector": 0,
        "weight_themes": 6,
        "weight_wishes": 5,
        "weight_language": 10,
        "weight_other_area": 4,
        "weight_other_field": 0,
        "weight_education": 1,
        "weight_described_experience": 3,
    }
    response = coord.post(url, data)
    assert response.status_code == 302
    saved = MatchingSettings.objects.get(round=round_)
    assert saved.weight_geography == 2
    assert saved.weight_language == 10
    assert (saved.weight_other_area, saved.weight_described_experience) == (4, 3)
    assert saved.enforce_capacity is False
    assert ActivityLog.objects.filter(tenant=tenant, action="matching.settings_saved").exists()

    response = coord.post(url, {**data, "weight_geography": 11})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert MatchingSettings.objects.get(round=round_).weight_geography == 2


def test_run_shows_every_pair_with_reasons_and_every_unmatched_adept(world, coord, tenant):
    round_, orgs, mentors, adepts = world
    extra = AcceptedAdeptFactory(
        round=round_, organisation=orgs[0], region=orgs[0].region, full_name="Adept Utan"
    )
    proposal = run(coord, round_, name="Första förslaget")
    assert proposal.name == "Första förslaget"
    assert proposal.pairs.count() == 3
    page = coord.get(reverse("matching:proposal", args=[tenant.slug, proposal.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for person in mentors + adepts:
        assert person.full_name in body
    for pair in proposal.pairs.all():
        assert f"{pair.score:.2f}" in body
        for item in pair.explanation.values():
            assert str(item["reason"]).split("%")[0][:30].replace("'", "&#x27;") in body
    for label in ("Geography", "Shared themes", "Shared language"):
        assert label in body
    # The adept left over, with why.
    assert "Adepts without a mentor" in body
    assert extra.full_name in body
    reason = proposal.summary["unmatched_reasons"][0]["text"]
    assert reason[:25] in body


def test_pin_and_forbid_then_recompute(world, coord, tenant):
    round_, orgs, mentors, adepts = world
    first = run(coord, round_)
    pinned, forbidden = list(first.pairs.order_by("adept_id"))[:2]

    response = coord.post(
        adjust_url(first, pinned.adept), {"action": "constraint", "kind": "pin", "reason": ""}
    )
    assert response.status_code == 302
    assert PairConstraint.objects.get(
        round=round_, mentor=pinned.mentor, adept=pinned.adept, kind="pin"
    )

    # A forbid needs a reason.
    url = adjust_url(first, forbidden.adept)
    response = coord.post(url, {"action": "constraint", "kind": "forbid", "reason": ""})
    assert response.status_code == 400
    assert "never be paired" in response.content.decode()
    response = coord.post(
        url, {"action": "constraint", "kind": "forbid", "reason": "Arbetar redan ihop."}
    )
    assert response.status_code == 302
    constraint = PairConstraint.objects.get(round=round_, adept=forbidden.adept, kind="forbid")
    assert constraint.reason == "Arbetar redan ihop."

    home = coord.get(reverse("matching:home", args=[tenant.slug, round_.pk])).content.decode()
    assert "Arbetar redan ihop." in home

    second = run(coord, round_)
    pairs = {(p.adept_id, p.mentor_id): p for p in second.pairs.all()}
    assert pairs[(pinned.adept_id, pinned.mentor_id)].pinned
    assert (forbidden.adept_id, forbidden.mentor_id) not in pairs

    # Removing the forbid.
    response = coord.post(
        reverse("matching:constraint_clear", args=[tenant.slug, round_.pk, constraint.pk])
    )
    assert response.status_code == 302
    assert not PairConstraint.objects.filter(pk=constraint.pk).exists()


def test_check_fragment_shows_breaches_live(world, coord, tenant):
    round_, orgs, mentors, adepts = world
    proposal = run(coord, round_)
    url = reverse("matching:check", args=[tenant.slug, proposal.pk, adepts[0].pk])
    same_org = coord.get(url, {"mentor": mentors[0].pk}, HTTP_HX_REQUEST="true")
    assert same_org.status_code == 200
    body = same_org.content.decode()
    assert "<html" not in body
    assert "breaks these hard rules" in body
    assert "give a reason" in body
    free = spare_mentor(round_, orgs[1])
    other_org = coord.get(url, {"mentor": free.pk}, HTTP_HX_REQUEST="true")
    assert "breaks no hard rule" in other_org.content.decode()
    # The adjust page wires the select to this fragment.
    page = coord.get(adjust_url(proposal, adepts[0])).content.decode()
    assert f'hx-get="{url}"' in page
    assert 'hx-target="#check-result"' in page


def test_reassign_needs_an_override_reason_for_a_hard_rule(world, coord, tenant):
    round_, orgs, mentors, adepts = world
    proposal = run(coord, round_)
    url = adjust_url(proposal, adepts[0])
    response = coord.post(url, {"action": "reassign", "mentor": mentors[0].pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body
    assert "give a reason" in body
    assert ProposedPair.objects.get(proposal=proposal, adept=adepts[0]).mentor != mentors[0]

    response = coord.post(
        url,
        {
            "action": "reassign",
            "mentor": mentors[0].pk,
            "override_reason": "Olika förvaltningar, har aldrig arbetat ihop.",
        },
    )
    assert response.status_code == 302
    pair = ProposedPair.objects.get(proposal=proposal, adept=adepts[0])
    assert pair.mentor == mentors[0]
    assert pair.override_reason == "Olika förvaltningar, har aldrig arbetat ihop."
    log = ActivityLog.objects.get(tenant=tenant, action="matching.pair_overridden")
    assert log.data["override_reason"] == "Olika förvaltningar, har aldrig arbetat ihop."
    page = coord.get(reverse("matching:proposal", args=[tenant.slug, proposal.pk]))
    assert "Hard rule overridden" in page.content.decode()


def test_reassign_without_a_breach_and_taking_out(world, coord, tenant):
    round_, orgs, mentors, adepts = world
    proposal = run(coord, round_)
    other = spare_mentor(round_, orgs[1])
    response = coord.post(
        adjust_url(proposal, adepts[0]), {"action": "reassign", "mentor": other.pk}
    )
    assert response.status_code == 302
    assert ProposedPair.objects.get(proposal=proposal, adept=adepts[0]).mentor == other
    assert ActivityLog.objects.filter(tenant=tenant, action="matching.pair_reassigned").exists()

    response = coord.post(adjust_url(proposal, adepts[0]), {"action": "reassign", "mentor": ""})
    assert response.status_code == 302
    assert not ProposedPair.objects.filter(proposal=proposal, adept=adepts[0]).exists()
    page = coord.get(reverse("matching:proposal", args=[tenant.slug, proposal.pk]))
    assert "Taken out of the proposal" in page.content.decode()


def test_compare_two_proposals(world, coord, tenant):
    round_, orgs, mentors, adepts = world
    a = run(coord, round_, name="Förslag A")
    b = run(coord, round_, name="Förslag B")
    other = spare_mentor(round_, orgs[1])
    coord.post(adjust_url(b, adepts[0]), {"action": "reassign", "mentor": other.pk})

    home = coord.get(reverse("matching:home", args=[tenant.slug, round_.pk]))
    assert "Compare two proposals" in home.content.decode()
    url = reverse("matching:compare", args=[tenant.slug, round_.pk])
    response = coord.get(url, {"a": a.pk, "b": b.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Förslag A" in body and "Förslag B" in body
    assert body.count("<strong>Differs</strong>") >= 1
    assert "<mark>" in body
    total_a = round(sum(p.score for p in a.pairs.all()), 2)
    total_b = round(sum(p.score for p in b.pairs.all()), 2)
    assert str(total_a) in body and str(total_b) in body
    # The same proposal twice is refused.
    assert coord.get(url, {"a": a.pk, "b": a.pk}).status_code == 400


def test_publish_confirms_then_starts_pairs_and_mails(
    world, coord, tenant, django_capture_on_commit_callbacks
):
    round_, orgs, mentors, adepts = world
    proposal = run(coord, round_)
    url = reverse("matching:publish", args=[tenant.slug, proposal.pk])
    confirm = coord.get(url)
    assert confirm.status_code == 200
    assert "Yes, publish" in confirm.content.decode()
    assert not Pair.objects.filter(round=round_).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:pairs", args=[tenant.slug, round_.pk])
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUBLISHED
    pairs = Pair.objects.filter(round=round_, status=Pair.Status.ACTIVE)
    assert pairs.count() == 3
    recipients = {address for message in mail.outbox for address in message.to}
    assert {a.email for a in adepts} <= recipients
    assert {m.email for m in mentors} <= recipients

    listing = coord.get(response["Location"]).content.decode()
    for pair in pairs:
        assert pair.adept.full_name in listing
        assert reverse("matching:end_pair", args=[tenant.slug, round_.pk, pair.pk]) in listing

    # Published: no more changes, and a second publish is refused.
    assert coord.get(url).status_code == 302
    assert coord.post(url).status_code == 302
    assert Pair.objects.filter(round=round_).count() == 3


def test_coordinator_ends_a_pair(world, coord, tenant, django_capture_on_commit_callbacks):
    round_ = world[0]
    pair = PairFactory(round=round_)
    url = reverse("matching:end_pair", args=[tenant.slug, round_.pk, pair.pk])
    page = coord.get(url)
    assert page.status_code == 200
    assert "By agreement" in page.content.decode()

    response = coord.post(url, {"end_reason": "other", "end_note": ""})
    assert response.status_code == 400
    assert "Say in a few words" in response.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(url, {"end_reason": "by_agreement", "end_note": "Båda nöjda."})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ENDED
    assert pair.end_note == "Båda nöjda."
    assert len(mail.outbox) == 2
    pair.adept.refresh_from_db()
    assert pair.adept.stage == Stage.ACCEPTED
    pairs_url = reverse("matching:pairs", args=[tenant.slug, round_.pk])
    listing = coord.get(pairs_url).content.decode()
    # The ended pairs are one link away (a closed round may have hundreds).
    assert "Show the 1 ended pair" in listing and "Båda nöjda." not in listing
    listing = coord.get(pairs_url, {"show": "ended"}).content.decode()
    assert "Ended pairs" in listing and "Båda nöjda." in listing
    # An ended pair cannot be ended again.
    assert coord.get(url).status_code == 404


def test_hr_contact_ends_a_pair_of_their_organisations_only(
    world, tenant, hr_contact, organisation
):
    round_, orgs, mentors, adepts = world
    ours = PairFactory(
        round=round_,
        adept__organisation=organisation,
        adept__full_name="Vår Adept",
        mentor__organisation=orgs[1],
    )
    theirs = PairFactory(
        round=round_,
        adept__organisation=orgs[0],
        adept__full_name="Annans Adept",
        mentor__organisation=orgs[1],
    )
    hr = client_for(hr_contact)
    listing = hr.get(reverse("matching:hr_pairs", args=[tenant.slug]))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Vår Adept" in body and "Annans Adept" not in body

    assert hr.get(reverse("matching:hr_end_pair", args=[tenant.slug, theirs.pk])).status_code == 404
    url = reverse("matching:hr_end_pair", args=[tenant.slug, ours.pk])
    assert hr.get(url).status_code == 200
    response = hr.post(url, {"end_reason": "changed_job", "end_note": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:hr_pairs", args=[tenant.slug])
    ours.refresh_from_db()
    assert ours.status == Pair.Status.ENDED and ours.end_reason == "changed_job"
    assert ActivityLog.objects.filter(tenant=tenant, action="matching.pair_ended").exists()


def test_hr_contact_for_the_mentors_organisation_may_end_it_too(world, tenant):
    round_, orgs, mentors, adepts = world
    pair = PairFactory(round=round_, adept__organisation=orgs[0], mentor__organisation=orgs[1])
    hr_user = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[orgs[1]]
    ).user
    english(hr_user)
    response = client_for(hr_user).get(reverse("matching:hr_end_pair", args=[tenant.slug, pair.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["proposal", "home", "pairs"])
def test_query_count_does_not_grow_with_the_round(page, tenant, coordinator):
    """Proposal page (and the round's matching and pairs pages): 10 and 40 people, same count."""
    english(coordinator)
    coord = client_for(coordinator)
    counts = []
    for people in (5, 20):  # mentors + adepts: 10 and 40 people
        round_, orgs, mentors, adepts = make_world(tenant, people=people, prefix=f"A{people} ")
        proposal = run(coord, round_)
        # Give it pins, forbids, an override and an unmatched adept, so every part shows.
        first, second = list(proposal.pairs.order_by("id"))[:2]
        PairConstraint.objects.create(
            tenant=tenant, round=round_, mentor=first.mentor, adept=first.adept, kind="pin"
        )
        PairConstraint.objects.create(
            tenant=tenant, round=round_, mentor=second.mentor, adept=second.adept, kind="forbid"
        )
        AcceptedAdeptFactory(round=round_, organisation=orgs[0])
        proposal = run(coord, round_)
        publish_round = make_world(tenant, people=people, prefix=f"B{people} ")[0]
        for pair_number in range(people):
            PairFactory(round=publish_round)
        url = {
            "proposal": reverse("matching:proposal", args=[tenant.slug, proposal.pk]),
            "home": reverse("matching:home", args=[tenant.slug, round_.pk]),
            "pairs": reverse("matching:pairs", args=[tenant.slug, publish_round.pk]),
        }[page]
        coord.get(url)  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as ctx:
            response = coord.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
