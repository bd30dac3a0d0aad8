"""Lists that scale (issue 13, item 4): every long list pages (50 a page), sorts by whitelisted
keys, searches, keeps its filters in the address and in its page links, shows its count, and
asks the database the same number of times at 5 and at 60 rows. The review list's decisions
apply to the chosen ones or to all that match the filter, after a confirmation with the count.
"""

import html
import re
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from applications.models import Application
from matching.models import Proposal, ProposedPair
from messaging.models import MessageAudience, RoundMessage
from organisations.models import ActivityLog, OutgoingMail
from pairs.models import Pair
from programmes.models import Participant, ParticipantRole, Round
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory, RoundFactory
from tests.matching.factories import PairFactory

Stage = Application.Stage
SMALL, LARGE = 5, 60


def client_for(user):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def text(response):
    return html.unescape(response.content.decode())


def build(tenant, n):
    """A round with ``n`` of everything each list shows."""
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    orgs = [OrganisationFactory(tenant=tenant, name=f"Kommun {c}") for c in "ABC"]
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=orgs[:2]
    ).user
    programme = ProgrammeFactory(tenant=tenant)
    round_ = RoundFactory(programme=programme, status=Round.Status.RUNNING)
    applications = [
        ApplicationFactory(
            round=round_,
            organisation=orgs[i % 3],
            stage=Stage.UNDER_REVIEW,
            role=ParticipantRole.MENTOR if i % 2 else ParticipantRole.ADEPT,
            full_name=f"Sökande {i:03}",
            email=f"sokande{i:03}@example.se",
        )
        for i in range(n)
    ]
    pairs = [
        PairFactory(
            round=round_,
            mentor__organisation=orgs[i % 3],
            adept__organisation=orgs[(i + 1) % 3],
            adept__full_name=f"Adept {i:03}",
            mentor__full_name=f"Mentor {i:03}",
        )
        for i in range(n)
    ]
    for i in range(n):
        ParticipantFactory(
            round=round_,
            organisation=orgs[i % 3],
            user=UserFactory(full_name=f"Deltagare {i:03}"),
        )
    # Adepts the proposal left without a mentor (the summary's reasons, one per adept).
    unmatched = [
        {
            "adept": a.pk,
            "name": a.full_name,
            "kind": "excluded" if i % 2 else "capacity",
            "text": "Every mentor is excluded by a hard rule.",
            "rules": [{"rule": "organisation", "label": "Same organisation", "count": 2}],
        }
        for i, a in enumerate(applications)
    ]
    proposal = Proposal.objects.create(
        tenant=tenant,
        round=round_,
        name="Förslag 1",
        summary={"unmatched": len(unmatched), "unmatched_reasons": unmatched},
    )
    ProposedPair.objects.bulk_create(
        [
            ProposedPair(tenant=tenant, proposal=proposal, mentor=p.mentor, adept=p.adept, score=i)
            for i, p in enumerate(pairs)
        ]
    )
    OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(
                tenant=tenant,
                purpose="test",
                to=f"mottagare{i:03}@example.se",
                language="sv",
                subject=f"Ämne {i:03}",
                body="Hej",
            )
            for i in range(n)
        ]
    )
    ActivityLog.objects.bulk_create(
        [
            ActivityLog(
                tenant=tenant, actor=coordinator, action="test.done", object_repr=f"Sak {i}"
            )
            for i in range(n)
        ]
    )
    RoundMessage.objects.bulk_create(
        [
            RoundMessage(
                tenant=tenant,
                round=round_,
                audience=MessageAudience.EVERYONE,
                subject=f"Meddelande {i:03}",
                body="Hej alla",
                sent_by=coordinator,
                idempotency_key=uuid.uuid4(),
            )
            for i in range(n)
        ]
    )
    return SimpleNamespace(
        tenant=tenant,
        coordinator=coordinator,
        hr=hr,
        orgs=orgs,
        round=round_,
        applications=applications,
        pairs=pairs,
        proposal=proposal,
    )


def list_urls(w):
    t = w.tenant.slug
    return {
        "review": (w.coordinator, reverse("applications:review_list", args=[t, w.round.pk])),
        "hr": (w.hr, reverse("applications:hr_list", args=[t, w.round.pk])),
        "participants": (
            w.coordinator,
            reverse("programmes:participant_list", args=[t, w.round.pk]),
        ),
        "proposal": (w.coordinator, reverse("matching:proposal", args=[t, w.proposal.pk])),
        "pairs": (w.coordinator, reverse("matching:pairs", args=[t, w.round.pk])),
        "hr_pairs": (w.hr, reverse("matching:hr_pairs", args=[t])),
        "outbox": (w.coordinator, reverse("organisations:outbox", args=[t])),
        "activity": (w.coordinator, reverse("organisations:activity", args=[t])),
        "messages": (w.coordinator, reverse("round_messages:list", args=[t, w.round.pk])),
    }


def count_queries(user, address, params=None):
    client = client_for(user)
    assert client.get(address, params or {}).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture
def small(tenant):
    return build(tenant, SMALL)


@pytest.fixture
def large(tenant):
    return build(tenant, LARGE)


LISTS = [
    "review",
    "hr",
    "participants",
    "proposal",
    "pairs",
    "hr_pairs",
    "outbox",
    "activity",
    "messages",
]


@pytest.mark.parametrize("name", LISTS)
def test_query_count_does_not_grow_with_the_list(db, name):
    from tests.factories.organisations import TenantFactory

    counts = {}
    for size in (SMALL, LARGE):
        t = TenantFactory()
        with scopes_disabled():
            w = build(t, size)
        from django_scopes import scope

        with scope(tenant=t):
            user, address = list_urls(w)[name]
            counts[size], response = count_queries(user, address)
            # A full page at most, and the count of all of them.
            page = response.context["listing"].page
            assert len(page.object_list) == min(50, page.paginator.count)
            if name == "proposal":  # the adepts without a mentor page too
                unmatched = response.context["unmatched_listing"].page
                assert len(unmatched.object_list) == min(50, size)
            for search in ("", "a"):  # a search does not add queries per row either
                counts[(size, search)], _r = count_queries(user, address, {"q": search})
    assert counts[SMALL] == counts[LARGE], counts
    assert counts[(SMALL, "a")] == counts[(LARGE, "a")], counts


def test_review_list_pages_with_count_and_accessible_navigation(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    page = text(client.get(address, {"role": "adept"}))
    # 30 adepts applied, 60 more are adepts in pairs: 90 adepts in all.
    assert "Showing 1–50 of 90" in page
    nav = re.search(r'<nav class="pagination" aria-label="Pages">(.*?)</nav>', page, re.S).group(1)
    assert 'aria-current="page"' in nav
    # The page links keep the filter.
    assert "?role=adept&amp;page=2" in html.escape(nav) or "role=adept&page=2" in nav
    second = text(client.get(address, {"role": "adept", "page": 2}))
    assert "Showing 51–90 of 90" in second
    assert "Sökande 000" in page or "Sökande 000" in second
    assert "Sökande 001" not in page + second  # a mentor, filtered out


def test_sort_keys_are_whitelisted(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    names = lambda r: re.findall(r"Sökande \d{3}", text(r))  # noqa: E731
    asc = names(client.get(address, {"sort": "name", "q": "Sökande"}))
    desc = names(client.get(address, {"sort": "-name", "q": "Sökande"}))
    assert asc[0] == "Sökande 000" and desc[0] == "Sökande 059"
    # An unknown key is the default order, never an error or an arbitrary column.
    response = client.get(address, {"sort": "motivation;drop"})
    assert response.status_code == 200
    assert response.context["listing"].sort == "role"


def test_search_by_name_email_and_organisation(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    assert "Showing 1–1 of 1" in text(client.get(address, {"q": "Sökande 007"}))
    assert "Showing 1–1 of 1" in text(client.get(address, {"q": "sokande007@"}))
    by_org = client.get(address, {"q": "Kommun C"}).context["listing"]
    assert by_org.count == 60  # 20 applicants and 40 people in pairs
    user, address = list_urls(large)["participants"]
    assert "Showing 1–1 of 1" in text(client_for(user).get(address, {"q": "Deltagare 012"}))
    user, address = list_urls(large)["pairs"]
    assert client_for(user).get(address, {"q": "Adept 013"}).context["listing"].count == 1
    user, address = list_urls(large)["outbox"]
    assert client_for(user).get(address, {"q": "mottagare004"}).context["listing"].count == 1


def test_hr_list_shows_only_own_organisations_with_filters_kept(large):
    user, address = list_urls(large)["hr"]
    client = client_for(user)
    response = client.get(address, {"q": "Kommun C"})
    assert response.context["listing"].count == 0
    response = client.get(address, {"stage": "under_review"})
    listing = response.context["listing"]
    assert listing.count == 40  # the applicants of A and B
    assert all(a.organisation_id in {large.orgs[0].pk, large.orgs[1].pk} for a in listing.rows)
    page = text(response)
    assert "stage=under_review" in page and "Export this list" in page


def test_list_views_are_logged_with_the_number_shown(large):
    user, address = list_urls(large)["review"]
    client_for(user).get(address, {"q": "Sökande", "page": 2})
    entry = ActivityLog.objects.filter(tenant=large.tenant, action="personal_data.viewed").latest(
        "id"
    )
    assert entry.data["shown"] == 10 and entry.data["searched"] is True


# --- decisions for all that match -----------------------------------------------------------


def test_select_all_matching_confirms_with_the_count_then_decides_exactly_that_set(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    org_a = large.orgs[0]
    filters = {"stage": "under_review", "organisation": org_a.pk}
    response = client.post(address, {**filters, "all_matching": "1", "decision": "waitlisted"})
    assert response.status_code == 200
    page = text(response)
    assert "for all 20 applications that match the filter" in page
    count = re.search(r'name="count" value="(\d+)"', page).group(1)
    digest = re.search(r'name="digest" value="(\w+)"', page).group(1)
    assert count == "20"
    # Nothing is decided before the confirmation.
    assert not Application.objects.filter(round=large.round, stage=Stage.WAITLISTED).exists()
    response = client.post(
        address,
        {
            **filters,
            "all_matching": "1",
            "confirm": "1",
            "count": count,
            "digest": digest,
            "decision": "waitlisted",
        },
    )
    assert response.status_code == 302
    assert f"organisation={org_a.pk}" in response["Location"]
    waitlisted = set(
        Application.objects.filter(round=large.round, stage=Stage.WAITLISTED).values_list(
            "pk", flat=True
        )
    )
    expected = {a.pk for a in large.applications if a.organisation_id == org_a.pk}
    assert waitlisted == expected
    # As one decision would: a stage change and a mail per application.
    assert OutgoingMail.objects.filter(
        tenant=large.tenant, purpose="decision_waitlisted"
    ).count() == len(expected)


def test_select_all_matching_is_refused_when_the_set_changed(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    filters = {"stage": "under_review"}
    page = text(client.post(address, {**filters, "all_matching": "1", "decision": "declined"}))
    digest = re.search(r'name="digest" value="(\w+)"', page).group(1)
    # Meanwhile one more application comes in for review.
    ApplicationFactory(round=large.round, organisation=large.orgs[0], stage=Stage.UNDER_REVIEW)
    response = client.post(
        address,
        {
            **filters,
            "all_matching": "1",
            "confirm": "1",
            "count": "60",
            "digest": digest,
            "decision": "declined",
        },
    )
    assert response.status_code == 409
    page = text(response)
    assert "changed since you asked" in page
    assert "for all 61 applications that match the filter" in page
    assert not Application.objects.filter(round=large.round, stage=Stage.DECLINED).exists()


def test_select_all_matching_never_reaches_another_tenant(large, other_tenant):
    with scopes_disabled():
        foreign_round = RoundFactory(
            programme=ProgrammeFactory(tenant=other_tenant), status=Round.Status.RUNNING
        )
        foreign = ApplicationFactory(round=foreign_round, stage=Stage.UNDER_REVIEW)
        foreign_org = foreign.organisation
    user, address = list_urls(large)["review"]
    client = client_for(user)
    # Another tenant's organisation as the filter matches nothing here.
    response = client.post(
        address, {"organisation": foreign_org.pk, "all_matching": "1", "decision": "declined"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        foreign.refresh_from_db()
        assert foreign.stage == Stage.UNDER_REVIEW
    # Chosen ids of another tenant refuse the whole choice.
    response = client.post(
        address,
        {"selected": [large.applications[0].pk, foreign.pk], "decision": "declined"},
        follow=True,
    )
    assert "Nothing was changed" in text(response)
    assert Application.objects.get(pk=large.applications[0].pk).stage == Stage.UNDER_REVIEW


def test_bulk_actions_are_above_the_table_with_select_all(large):
    user, address = list_urls(large)["review"]
    page = text(client_for(user).get(address))
    assert page.index('name="decision"') < page.index("<table")
    assert "data-select-page" in page and "js/lists.js" in page
    assert "All 180 applications that match the filter" in page


def test_export_this_list_carries_the_filter(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    page = text(client.get(address, {"organisation": large.orgs[1].pk, "q": "Sökande"}))
    export = re.search(r'href="([^"]*/export/\?[^"]*)"', page).group(1)
    form = text(client.get(export))
    assert f'name="organisation" value="{large.orgs[1].pk}"' in form
    response = client.post(
        export.split("?")[0],
        {
            "organisation": large.orgs[1].pk,
            "q": "Sökande",
            "columns": ["full_name"],
            "stages": ["under_review"],
            "format": "csv",
        },
    )
    assert response.status_code == 200
    rows = b"".join(response.streaming_content if response.streaming else [response.content])
    names = set(re.findall(r"Sökande \d{3}", rows.decode("utf-8-sig")))
    assert names == {
        a.full_name for a in large.applications if a.organisation_id == large.orgs[1].pk
    }


def test_pairs_page_pages_and_keeps_show_in_links(large):
    user, address = list_urls(large)["pairs"]
    client = client_for(user)
    response = client.get(address)
    assert "Showing 1–50 of 60" in text(response)
    # The figures are over all pairs, not the page.
    assert response.context["summary"]["active"] == 60
    assert Pair.objects.filter(round=large.round).count() == 60


def test_proposal_page_pages_its_pairs(large):
    user, address = list_urls(large)["proposal"]
    response = client_for(user).get(address, {"page": 2})
    page = text(response)
    assert "Showing 51–60 of 60" in page
    assert response.context["pair_count"] == 60
    # Best score first: page 2 holds the lowest scores.
    assert "Adept 000" in page and "Adept 059" not in page


def test_participants_filter_by_role(large):
    user, address = list_urls(large)["participants"]
    listing = client_for(user).get(address, {"role": "mentor"}).context["listing"]
    assert listing.count == Participant.objects.filter(round=large.round, role="mentor").count()


def test_bad_page_and_search_input_never_fail(large):
    for name, (user, address) in list_urls(large).items():
        client = client_for(user)
        for params in (
            {"page": "x"},
            {"page": "9999"},
            {"q": "x" * 500},
            {"sort": "-"},
            {"sort": "--name"},
        ):
            assert client.get(address, params).status_code == 200, (name, params)


def test_ids_digest_is_about_the_set():
    from mentorship.listing import ids_digest

    assert ids_digest([3, 1, 2]) == ids_digest([1, 2, 3])
    assert ids_digest([1, 2]) != ids_digest([1, 2, 3])


def test_decide_bulk_matches_one_decision_at_a_time(tenant):
    """The bulk service leaves the same trace as ``decide`` for each application: stage,
    version, a stage change, a log row, the participant and the mail; a refusal stays alone."""
    from django_scopes import scope

    from applications import services
    from applications.models import StageChange

    w = build(tenant, 0)
    accepted = ApplicationFactory(round=w.round, organisation=w.orgs[0], stage=Stage.ACCEPTED)
    ParticipantFactory(round=w.round, user=accepted.user, role=accepted.role)
    reviewed = ApplicationFactory(round=w.round, organisation=w.orgs[0], stage=Stage.UNDER_REVIEW)
    early = ApplicationFactory(
        round=w.round, organisation=w.orgs[0], stage=Stage.AWAITING_ENDORSEMENT
    )
    with scope(tenant=tenant):
        done, refused = services.decide_bulk(
            tenant=tenant,
            applications=[accepted, reviewed, early],
            actor=w.coordinator,
            decision=Stage.WAITLISTED,
        )
        assert {a.pk for a in done} == {accepted.pk, reviewed.pk}
        assert [a.pk for a, _reason in refused] == [early.pk]
        for application in (accepted, reviewed):
            application.refresh_from_db()
            assert application.stage == Stage.WAITLISTED and application.version == 2
            assert StageChange.objects.filter(application=application, to_stage="waitlisted")
            assert ActivityLog.objects.filter(
                action="application.stage_changed", object_id=str(application.pk)
            ).exists()
        # Off the waiting list's way out of the round: no longer a participant.
        assert not Participant.objects.filter(round=w.round, user=accepted.user).exists()
        early.refresh_from_db()
        assert early.stage == Stage.AWAITING_ENDORSEMENT
        done, refused = services.decide_bulk(
            tenant=tenant, applications=[reviewed], actor=w.coordinator, decision=Stage.ACCEPTED
        )
        assert Participant.objects.filter(round=w.round, user=reviewed.user).exists()


# --- sortable column headers -------------------------------------------------------------------


def sort_headers(page):
    """[(th attributes, link, label text)] of the sortable column headers."""
    return [
        (attrs, html.unescape(href), re.sub(r"<[^>]+>", "", inner))
        for attrs, href, inner in re.findall(
            r'<th scope="col"([^>]*)>\s*<a class="sort-link" href="([^"]+)">(.*?)</a>', page, re.S
        )
    ]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_sorts_by_its_column_headers(large, name):
    """Each header is a link; the current column has aria-sort and says so in words; the
    links keep the filter and search, leave the page, and sort the other way on the current
    column."""
    user, address = list_urls(large)[name]
    client = client_for(user)
    response = client.get(address, {"q": "0", "page": 2})
    listing = response.context["listing"]
    # The proposal's second table (the adepts without a mentor) has tests of its own.
    headers = sort_headers(text(response).split('id="unmatched-title"')[0])
    assert len(headers) >= 2, name
    current = [h for h in headers if "aria-sort" in h[0]]
    assert len(current) <= 1, name
    for attrs, href, label in headers:
        assert href.startswith("?") and "q=0" in href and "page=" not in href, (name, href)
        assert "select to sort" in label, (name, label)
    # Follow the first header, then the same header again: ascending, then descending.
    first = headers[0][1]
    key = re.search(r"sort=([\w-]+)", first).group(1)
    assert not key.startswith("-") or listing.sort == key[1:], (name, key)
    once = client.get(address + first)
    assert once.status_code == 200
    assert once.context["listing"].sort == key
    attrs, again, label = sort_headers(text(once).split('id="unmatched-title"')[0])[0]
    expected = "descending" if key.startswith("-") else "ascending"
    assert f'aria-sort="{expected}"' in attrs, (name, attrs)
    assert f"sorted {expected}" in label
    twice = client.get(address + again)
    flipped = key[1:] if key.startswith("-") else f"-{key}"
    assert twice.context["listing"].sort == flipped, (name, again)
    # The search field keeps the chosen sort when the person searches again.
    assert f'name="sort" value="{flipped}"' in text(twice) or name == "proposal"


def test_header_sort_orders_the_rows_and_keeps_the_filter(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    names = lambda r: re.findall(r"Sökande \d{3}", text(r))  # noqa: E731
    page = text(client.get(address, {"role": "mentor", "q": "Sökande"}))
    link = next(h for _a, h, label in sort_headers(page) if label.startswith("Name"))
    assert "role=mentor" in link and "sort=name" in link
    response = client.get(address + link)
    assert names(response)[0] == "Sökande 001"
    link = next(h for a, h, label in sort_headers(text(response)) if label.startswith("Name"))
    assert "sort=-name" in link
    assert names(client.get(address + link))[0] == "Sökande 059"


def test_unknown_sort_is_the_default_on_every_list(large):
    for name, (user, address) in list_urls(large).items():
        client = client_for(user)
        for sort in ("password", "-user__password", "name;drop", "--adept", "sort"):
            response = client.get(address, {"sort": sort, "usort": sort})
            assert response.status_code == 200, (name, sort)
            listing = response.context["listing"]
            assert listing.sort == (listing.default_sort or ""), (name, sort)


# --- the HR contact's pairs and the proposal's adepts without a mentor -------------------------


def test_hr_pairs_page_in_fifties_with_search_and_filters_kept(large):
    user, address = list_urls(large)["hr_pairs"]
    client = client_for(user)
    response = client.get(address)
    listing = response.context["listing"]
    # Pairs with someone of Kommun A or B: all but those of C with C (none: i%3 != (i+1)%3).
    assert listing.count == 60
    page = text(response)
    assert "Showing 1–50 of 60" in page
    assert 'aria-label="Pages"' in page
    second = text(client.get(address, {"page": 2, "show": "asked"}))
    assert "No pairs match." in second  # nobody asked to end
    response = client.get(address, {"q": "Adept 013"})
    assert response.context["listing"].count == 1
    assert "Adept 013" in text(response)
    # A filter and a search are kept in the page and header links.
    response = client.get(address, {"q": "Adept", "round": large.round.pk})
    page = text(response)
    assert response.context["chosen_round"] == large.round
    for _attrs, href, _label in sort_headers(page):
        assert f"round={large.round.pk}" in href and "q=Adept" in href


def test_hr_pairs_never_shows_another_organisations_pairs(large):
    user, address = list_urls(large)["hr_pairs"]
    rows = client_for(user).get(address, {"page": 2}).context["listing"].rows
    mine = {large.orgs[0].pk, large.orgs[1].pk}
    assert rows and all(
        p.adept.organisation_id in mine or p.mentor.organisation_id in mine for p in rows
    )


def test_proposal_pages_its_adepts_without_a_mentor_apart_from_its_pairs(large):
    user, address = list_urls(large)["proposal"]
    client = client_for(user)
    response = client.get(address, {"page": 2})
    unmatched = response.context["unmatched_listing"]
    assert unmatched.count == 60 and len(unmatched.rows) == 50
    assert response.context["unmatched_count"] == 60
    page = text(response)
    assert 'aria-label="Pages of adepts without a mentor"' in page
    # The adepts' page links keep the pairs' page, and the other way round.
    nav = re.search(r'aria-label="Pages of adepts without a mentor">(.*?)</nav>', page, re.S).group(
        1
    )
    assert "page=2" in html.unescape(nav) and "upage=2" in html.unescape(nav)
    response = client.get(address, {"page": 2, "upage": 2})
    assert response.context["listing"].page.number == 2
    assert response.context["unmatched_listing"].page.number == 2
    assert "Showing 51–60 of 60" in text(response)
    # Search and the reason filter narrow only this list.
    response = client.get(address, {"uq": "Sökande 007"})
    assert [e["name"] for e in response.context["unmatched"]] == ["Sökande 007"]
    assert response.context["listing"].count == 60
    response = client.get(address, {"ukind": "capacity"})
    assert response.context["unmatched_listing"].count == 30
    assert all(e["kind"] == "capacity" for e in response.context["unmatched"])
    assert "Capacity ran out" in text(response)
    response = client.get(address, {"ukind": "nonsense", "usort": "-kind"})
    assert response.context["unmatched_listing"].count == 60


# --- the confirmation names the filter ---------------------------------------------------------


def test_confirmation_of_all_matching_names_the_filter_in_words(large):
    user, address = list_urls(large)["review"]
    client = client_for(user)
    org = large.orgs[0]
    response = client.post(
        address,
        {
            "stage": "under_review",
            "organisation": org.pk,
            "role": "adept",
            "q": "Sökande",
            "all_matching": "1",
            "decision": "declined",
        },
    )
    page = text(response)
    assert "for all 10 applications that match the filter" in page
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('id="filter-title"')[1]))
    assert "Stage: Under review" in words
    assert "Role: Adepts" in words
    assert f"Organisation: {org.name}" in words
    assert "Search: “Sökande”" in words
    # Without a filter it says so.
    page = text(client.post(address, {"all_matching": "1", "decision": "declined"}))
    assert "No filter: every application in the round except drafts." in page
