"""Every matching view against every kind of visitor.

Coordinator pages: anonymous → sign in; member of another tenant → 404; HR contact without the
coordinator role → 403; coordinator → 200 with this tenant's data and none of the other
tenant's. Another tenant's round, proposal, adept or pair under one's own tenant's path → 404.
HR pages: anonymous → sign in; another tenant's member → 404; coordinator who is not an HR
contact → 403; HR contact → 200, and a pair outside their organisations → 404.
"""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from matching import services
from matching.models import PairConstraint, ProposedPair
from pairs.models import Pair
from tests.factories.organisations import MembershipFactory
from tests.matching.factories import PairFactory
from tests.matching.test_views import english, make_world

FOREIGN = "Främling"


def _setup(tenant, *, prefix="", name_prefix=""):
    round_, orgs, mentors, adepts = make_world(tenant, prefix=prefix)
    for person in mentors + adepts:
        person.full_name = f"{name_prefix}{person.full_name}"
        person.save(update_fields=["full_name"])
    proposal = services.run_proposal(tenant=tenant, actor=None, round_=round_)
    constraint = PairConstraint.objects.create(
        tenant=tenant, round=round_, mentor=mentors[0], adept=adepts[1], kind="forbid"
    )
    pair = PairFactory(
        round=round_,
        adept__organisation=orgs[0],
        mentor__organisation=orgs[1],
        adept__full_name=f"{name_prefix}Parad Adept",
    )
    return SimpleNamespace(
        tenant=tenant,
        round=round_,
        orgs=orgs,
        mentors=mentors,
        adepts=adepts,
        proposal=proposal,
        constraint=constraint,
        pair=pair,
    )


@pytest.fixture
def ours(tenant, organisation, coordinator, hr_contact):
    english(coordinator, hr_contact)
    world = _setup(tenant)
    # The HR contact's organisation takes part through the paired adept.
    world.pair.adept.organisation = organisation
    world.pair.adept.save(update_fields=["organisation"])
    return world


@pytest.fixture
def theirs(other_tenant, other_member):
    english(other_member)
    return _setup(other_tenant, prefix="X", name_prefix=FOREIGN)


def coordinator_pages(w, slug=None):
    """(method, url) of every coordinator page, for world ``w`` under tenant ``slug``."""
    slug = slug or w.tenant.slug
    first = ProposedPair.objects.filter(proposal=w.proposal).first()
    return [
        ("get", reverse("matching:home", args=[slug, w.round.pk])),
        ("post", reverse("matching:home", args=[slug, w.round.pk])),
        ("post", reverse("matching:run", args=[slug, w.round.pk])),
        ("get", reverse("matching:compare", args=[slug, w.round.pk])),
        (
            "post",
            reverse("matching:constraint_clear", args=[slug, w.round.pk, w.constraint.pk]),
        ),
        ("get", reverse("matching:pairs", args=[slug, w.round.pk])),
        ("get", reverse("matching:end_pair", args=[slug, w.round.pk, w.pair.pk])),
        ("post", reverse("matching:end_pair", args=[slug, w.round.pk, w.pair.pk])),
        ("get", reverse("matching:proposal", args=[slug, w.proposal.pk])),
        ("get", reverse("matching:publish", args=[slug, w.proposal.pk])),
        ("post", reverse("matching:publish", args=[slug, w.proposal.pk])),
        ("get", reverse("matching:adjust", args=[slug, w.proposal.pk, first.adept_id])),
        ("post", reverse("matching:adjust", args=[slug, w.proposal.pk, first.adept_id])),
        (
            "get",
            reverse("matching:check", args=[slug, w.proposal.pk, first.adept_id])
            + f"?mentor={first.mentor_id}",
        ),
    ]


def hr_pages(w, slug=None):
    slug = slug or w.tenant.slug
    return [
        ("get", reverse("matching:hr_pairs", args=[slug])),
        ("get", reverse("matching:hr_end_pair", args=[slug, w.pair.pk])),
        ("post", reverse("matching:hr_end_pair", args=[slug, w.pair.pk])),
    ]


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def call(client, method, url):
    return getattr(client, method)(url)


def test_anonymous_is_sent_to_sign_in(ours):
    client = client_for()
    for method, url in coordinator_pages(ours) + hr_pages(ours):
        response = call(client, method, url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_member_of_another_tenant_gets_404(ours, theirs, other_member, stranger):
    for user in (other_member, stranger):
        client = client_for(user)
        for method, url in coordinator_pages(ours) + hr_pages(ours):
            assert call(client, method, url).status_code == 404, (user, url)


def test_hr_contact_gets_403_on_coordinator_pages(ours, hr_contact):
    client = client_for(hr_contact)
    for method, url in coordinator_pages(ours):
        assert call(client, method, url).status_code == 403, url


def test_coordinator_who_is_not_hr_gets_403_on_hr_pages(ours, coordinator):
    client = client_for(coordinator)
    for method, url in hr_pages(ours):
        assert call(client, method, url).status_code == 403, url


def test_coordinator_sees_own_pages_without_foreign_data(ours, theirs, coordinator):
    client = client_for(coordinator)
    for method, url in coordinator_pages(ours):
        if method != "get":
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert FOREIGN not in response.content.decode(), url
    body = client.get(reverse("matching:proposal", args=[ours.tenant.slug, ours.proposal.pk]))
    assert ours.adepts[0].full_name in body.content.decode()


def test_foreign_objects_under_own_path_are_404(ours, theirs, coordinator):
    """The other tenant's round, proposal, constraint, pair and adept, asked for through this
    tenant's address: 404, and nothing changes."""
    client = client_for(coordinator)
    with scopes_disabled():
        foreign_pages = coordinator_pages(theirs, slug=ours.tenant.slug)
    for method, url in foreign_pages:
        assert call(client, method, url).status_code == 404, url
    # Mixed: our proposal with their adept, our round with their constraint or pair.
    slug = ours.tenant.slug
    mixed = [
        ("get", reverse("matching:adjust", args=[slug, ours.proposal.pk, theirs.adepts[0].pk])),
        (
            "get",
            reverse("matching:check", args=[slug, ours.proposal.pk, ours.adepts[0].pk])
            + f"?mentor={theirs.mentors[0].pk}",
        ),
        (
            "post",
            reverse("matching:constraint_clear", args=[slug, ours.round.pk, theirs.constraint.pk]),
        ),
        ("get", reverse("matching:end_pair", args=[slug, ours.round.pk, theirs.pair.pk])),
        (
            "get",
            reverse("matching:compare", args=[slug, ours.round.pk])
            + f"?a={ours.proposal.pk}&b={theirs.proposal.pk}",
        ),
    ]
    for method, url in mixed:
        assert call(client, method, url).status_code in (404, 400), url
    # A foreign proposal in the compare form is refused as an invalid choice (never shown).
    response = client.get(mixed[-1][1])
    assert FOREIGN not in response.content.decode()
    with scopes_disabled():
        assert PairConstraint.objects.filter(pk=theirs.constraint.pk).exists()
        assert Pair.objects.get(pk=theirs.pair.pk).status == Pair.Status.ACTIVE


def test_hr_contact_sees_only_pairs_of_their_organisations(ours, theirs, hr_contact, tenant):
    client = client_for(hr_contact)
    listing = client.get(reverse("matching:hr_pairs", args=[tenant.slug]))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Parad Adept" in body and FOREIGN not in body
    assert (
        client.get(reverse("matching:hr_end_pair", args=[tenant.slug, ours.pair.pk])).status_code
        == 200
    )
    # The other tenant's pair under this tenant's path.
    assert (
        client.get(reverse("matching:hr_end_pair", args=[tenant.slug, theirs.pair.pk])).status_code
        == 404
    )
    # A pair of this tenant with nobody from the HR contact's organisations.
    other = PairFactory(
        round=ours.round, adept__organisation=ours.orgs[1], mentor__organisation=ours.orgs[2]
    )
    assert (
        client.get(reverse("matching:hr_end_pair", args=[tenant.slug, other.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("matching:hr_end_pair", args=[tenant.slug, other.pk]),
            {"end_reason": "by_agreement"},
        ).status_code
        == 404
    )
    assert Pair.objects.get(pk=other.pk).status == Pair.Status.ACTIVE


def test_hr_contact_of_another_tenant_gets_404(ours, other_tenant):
    with scopes_disabled():
        hr_other = other_tenant.memberships.filter(is_hr_contact=True).first().user
    client = client_for(hr_other)
    for method, url in hr_pages(ours):
        assert call(client, method, url).status_code == 404, url


def test_coordinator_and_hr_in_one_may_use_both(ours, tenant, organisation):
    both = MembershipFactory(
        tenant=tenant, is_coordinator=True, is_hr_contact=True, organisations=[organisation]
    ).user
    english(both)
    client = client_for(both)
    assert client.get(reverse("matching:hr_pairs", args=[tenant.slug])).status_code == 200
    assert (
        client.get(reverse("matching:home", args=[tenant.slug, ours.round.pk])).status_code == 200
    )
