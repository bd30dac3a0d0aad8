"""The adept chooses a mentor (seed 003): ask, accept, decline, withdraw; capacity under two
simultaneous accepts; who may see the pages; a fixed number of queries on the browse page."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from applications.models import Application
from choosing import services
from choosing.models import MentorRequest
from organisations.models import ActivityLog, OutgoingMail
from pairs.models import Pair
from programmes.models import Participant, Programme
from tests.factories.applications import ThemeFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory

Stage = Application.Stage


def make_round(tenant):
    programme = ProgrammeFactory(
        tenant=tenant,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.ADEPT_CHOOSES,
    )
    return RoundFactory(programme=programme)


def participant(app):
    Participant.objects.get_or_create(
        tenant=app.tenant, round=app.round, user=app.user, role=app.role
    )
    return app


def mentor(round_, capacity=1, **kwargs):
    org = OrganisationFactory(tenant=round_.tenant)
    return participant(
        AcceptedMentorFactory(round=round_, organisation=org, capacity=capacity, **kwargs)
    )


def adept(round_, **kwargs):
    org = OrganisationFactory(tenant=round_.tenant)
    return participant(AcceptedAdeptFactory(round=round_, organisation=org, **kwargs))


@pytest.fixture
def world(tenant):
    round_ = make_round(tenant)
    return round_, mentor(round_, capacity=1), adept(round_), adept(round_)


# --- services ------------------------------------------------------------------------------


def test_ask_then_accept_makes_an_active_pair(world, tenant, django_capture_on_commit_callbacks):
    round_, m, a, _b = world
    with django_capture_on_commit_callbacks(execute=True):
        request = services.ask(
            tenant=tenant, actor=a.user, adept_app=a, mentor_app=m, message="Hej!"
        )
    assert request.status == MentorRequest.Status.ASKED
    assert [msg.to for msg in mail.outbox] == [[m.email]]
    with django_capture_on_commit_callbacks(execute=True):
        pair = services.accept(tenant=tenant, actor=m.user, request=request)
    assert pair.status == Pair.Status.ACTIVE and pair.mentor == m and pair.adept == a
    request.refresh_from_db()
    assert request.status == MentorRequest.Status.ACCEPTED and request.decided_at
    a.refresh_from_db()
    m.refresh_from_db()
    assert a.stage == Stage.MATCHED and m.stage == Stage.MATCHED
    # One mail for the one acceptance: the adept's, with the pair's page (issue 14).
    assert [msg.to for msg in mail.outbox[1:]] == [[a.email]]
    assert f"/my/pairs/{pair.pk}/" in mail.outbox[1].body


def test_accept_starts_the_pair_through_start_pair_and_tells_the_adept_once(
    world, tenant, django_capture_on_commit_callbacks
):
    """The pair is made by matching.services.start_pair: its log row names the request. The
    adept gets one mail (the acceptance, with the pair's page), not a second "the matching is
    done"; the mentor, who has just accepted on the page, gets none."""
    round_, m, a, _b = world
    request = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pair = services.accept(tenant=tenant, actor=m.user, request=request)
    assert [msg.to for msg in mail.outbox] == [[a.email]]
    assert list(OutgoingMail.objects.order_by("id").values_list("purpose", flat=True)) == [
        "mentor_request",
        "mentor_request_accepted",
    ]
    started = ActivityLog.objects.get(action="matching.pair_started")
    assert started.object_id == str(pair.pk)
    assert started.data == {"mentor_request": request.pk, "mentor": m.pk, "adept": a.pk}
    accepted = ActivityLog.objects.get(action="matching.mentor_request_accepted")
    assert accepted.data["pair"] == pair.pk


def test_decline_with_a_note_and_the_adept_may_ask_again(
    world, tenant, django_capture_on_commit_callbacks
):
    round_, m, a, _b = world
    other = mentor(round_, capacity=2)
    request = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(tenant=tenant, actor=m.user, request=request, note="Fullt i höst.")
    request.refresh_from_db()
    assert request.status == MentorRequest.Status.DECLINED
    assert request.decline_note == "Fullt i höst."
    assert "Fullt i höst." in mail.outbox[-1].body
    assert mail.outbox[-1].to == [a.email]
    services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=other)


def test_withdraw_then_ask_another(world, tenant):
    round_, m, a, _b = world
    other = mentor(round_)
    request = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    with pytest.raises(ValidationError, match="already asked"):
        services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=other)
    with pytest.raises(PermissionDenied):
        services.withdraw(tenant=tenant, actor=m.user, request=request)
    services.withdraw(tenant=tenant, actor=a.user, request=request)
    request.refresh_from_db()
    assert request.status == MentorRequest.Status.WITHDRAWN
    services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=other)
    with pytest.raises(ValidationError, match="no longer open"):
        services.accept(tenant=tenant, actor=m.user, request=request)


def test_ask_refused_for_unaccepted_coordinator_mode_and_full_mentor(world, tenant):
    round_, m, a, b = world
    review = AcceptedAdeptFactory(round=round_, stage=Stage.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="once your application is accepted"):
        services.ask(tenant=tenant, actor=review.user, adept_app=review, mentor_app=m)
    with pytest.raises(PermissionDenied):
        services.ask(tenant=tenant, actor=b.user, adept_app=a, mentor_app=m)
    request = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    services.accept(tenant=tenant, actor=m.user, request=request)
    with pytest.raises(ValidationError, match="no place left"):
        services.ask(tenant=tenant, actor=b.user, adept_app=b, mentor_app=m)
    coordinated = RoundFactory(programme=ProgrammeFactory(tenant=tenant))
    c, cm = adept(coordinated), mentor(coordinated)
    with pytest.raises(ValidationError, match="coordinator matches"):
        services.ask(tenant=tenant, actor=c.user, adept_app=c, mentor_app=cm)


def test_only_the_mentor_may_accept_or_decline(world, tenant):
    round_, m, a, b = world
    request = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    for actor in (a.user, b.user):
        with pytest.raises(PermissionDenied):
            services.accept(tenant=tenant, actor=actor, request=request)
        with pytest.raises(PermissionDenied):
            services.decline(tenant=tenant, actor=actor, request=request)


def test_accept_refused_when_full(world, tenant):
    round_, m, a, b = world
    r1 = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    # A second open request to a full mentor, as if made before the first was accepted.
    r2 = MentorRequest.objects.create(tenant=tenant, round=round_, adept=b, mentor=m)
    services.accept(tenant=tenant, actor=m.user, request=r1)
    # Declined at once (below); opened again, as a request racing the acceptance would be.
    MentorRequest.objects.filter(pk=r2.pk).update(status=MentorRequest.Status.ASKED)
    with pytest.raises(ValidationError, match="no place left"):
        services.accept(tenant=tenant, actor=m.user, request=r2)
    r2.refresh_from_db()
    assert r2.status == MentorRequest.Status.ASKED  # still open: the mentor may decline it


def test_open_requests_to_a_mentor_who_becomes_full_are_declined_kindly(world, tenant):
    """Issue 14: an adept whose request waits on a mentor who fills their last place is told
    at once, with a link to choose again, and may ask another mentor."""
    round_, m, a, b = world
    b.user.language = "en"
    b.user.save(update_fields=["language"])
    r1 = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    r2 = MentorRequest.objects.create(tenant=tenant, round=round_, adept=b, mentor=m)
    mail.outbox.clear()
    services.accept(tenant=tenant, actor=m.user, request=r1)
    r2.refresh_from_db()
    assert r2.status == MentorRequest.Status.DECLINED and r2.decided_at
    sent = OutgoingMail.objects.get(purpose="mentor_request_auto_declined")
    assert sent.to == b.email
    assert "filled their last place" in sent.body
    assert f"/{tenant.slug}/my/mentors/" in sent.body
    assert ActivityLog.objects.filter(
        action="matching.mentor_request_auto_declined", object_id=str(r2.pk)
    ).exists()
    other = mentor(round_)
    again = services.ask(tenant=tenant, actor=b.user, adept_app=b, mentor_app=other)
    assert again.status == MentorRequest.Status.ASKED


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_accepts_make_exactly_one_pair(transactional_db):
    with scopes_disabled():
        tenant = OrganisationFactory().tenant
        round_ = make_round(tenant)
        m, a, b = mentor(round_, capacity=1), adept(round_), adept(round_)
        requests = [
            services.ask(tenant=tenant, actor=x.user, adept_app=x, mentor_app=m) for x in (a, b)
        ]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(request):
        try:
            # A new thread has no active language; the message is checked in English.
            with scopes_disabled(), translation.override("en"):
                barrier.wait(timeout=10)
                services.accept(tenant=tenant, actor=m.user, request=request)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # pragma: no cover - reported by the assert below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    with scopes_disabled():
        assert Pair.objects.filter(mentor=m, status=Pair.Status.ACTIVE).count() == 1
        assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1, outcomes
        refused = next(o for o in outcomes if o != "ok")
        # The first accept filled the mentor's one place and so declined the other open
        # request (the adept is told to choose again); the second accept finds it closed.
        assert refused == "This request is no longer open.", outcomes
        statuses = sorted(MentorRequest.objects.filter(mentor=m).values_list("status", flat=True))
        assert statuses == ["accepted", "declined"]
    connection.close()


# --- views ---------------------------------------------------------------------------------


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def urls(tenant, request_pk=1, mentor_pk=1):
    s = tenant.slug
    return [
        ("get", reverse("matching_requests:mentors", args=[s])),
        ("get", reverse("matching_requests:ask", args=[s, mentor_pk])),
        ("post", reverse("matching_requests:withdraw", args=[s, request_pk])),
        ("get", reverse("matching_requests:incoming", args=[s])),
        ("post", reverse("matching_requests:accept", args=[s, request_pk])),
        ("get", reverse("matching_requests:decline", args=[s, request_pk])),
    ]


def test_adept_browses_asks_and_mentor_accepts_through_the_pages(world, tenant):
    round_, m, a, _b = world
    theme = ThemeFactory(programme=round_.programme, name="Politisk ledning")
    m.themes.add(theme)
    m.region = "Norrbotten"
    m.save()
    client = client_for(a.user)
    page = client.get(reverse("matching_requests:mentors", args=[tenant.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert m.full_name in html and "Politisk ledning" in html and "Norrbotten" in html
    ask_url = reverse("matching_requests:ask", args=[tenant.slug, m.pk])
    assert ask_url in html
    response = client.post(ask_url, {"message": "Jag är ny kommundirektör."})
    assert response.status_code == 302
    request = MentorRequest.objects.get(adept=a)
    assert request.message == "Jag är ny kommundirektör."
    # too long a message is shown as a form error
    too_long = client_for(_b.user).post(ask_url, {"message": "x" * 2001})
    assert too_long.status_code == 200 and b"error-summary" in too_long.content

    mentor_client = client_for(m.user)
    incoming = mentor_client.get(reverse("matching_requests:incoming", args=[tenant.slug]))
    assert incoming.status_code == 200 and a.full_name in incoming.content.decode()
    accept = mentor_client.post(reverse("matching_requests:accept", args=[tenant.slug, request.pk]))
    assert accept.status_code == 302
    assert Pair.objects.filter(mentor=m, adept=a, status=Pair.Status.ACTIVE).exists()
    home = client.get(reverse("programmes:participant_home", args=[tenant.slug]))
    assert m.full_name in home.content.decode()


def test_decline_and_withdraw_pages(world, tenant):
    round_, m, a, b = world
    r1 = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    mentor_client = client_for(m.user)
    url = reverse("matching_requests:decline", args=[tenant.slug, r1.pk])
    assert mentor_client.get(url).status_code == 200
    assert mentor_client.post(url, {"note": "Tyvärr inte nu."}).status_code == 302
    r1.refresh_from_db()
    assert r1.status == "declined" and r1.decline_note == "Tyvärr inte nu."
    r2 = services.ask(tenant=tenant, actor=b.user, adept_app=b, mentor_app=m)
    # another adept cannot withdraw b's request
    assert (
        client_for(a.user)
        .post(reverse("matching_requests:withdraw", args=[tenant.slug, r2.pk]))
        .status_code
        == 404
    )
    response = client_for(b.user).post(
        reverse("matching_requests:withdraw", args=[tenant.slug, r2.pk])
    )
    assert response.status_code == 302
    r2.refresh_from_db()
    assert r2.status == "withdrawn"


def test_participant_home_links_only_in_adept_chooses_programmes(world, tenant):
    round_, m, a, _b = world
    home = reverse("programmes:participant_home", args=[tenant.slug])
    assert reverse("matching_requests:mentors", args=[tenant.slug]) in (
        client_for(a.user).get(home).content.decode()
    )
    assert reverse("matching_requests:incoming", args=[tenant.slug]) in (
        client_for(m.user).get(home).content.decode()
    )
    coordinated = RoundFactory(programme=ProgrammeFactory(tenant=tenant))
    c = adept(coordinated)
    assert "/my/mentors/" not in client_for(c.user).get(home).content.decode()


def test_the_start_page_and_header_link_an_accepted_adept_straight_to_choosing(world, tenant):
    """Seed 003: the accepted adept's next step is to choose a mentor; her start page says so
    first (before her application), and the link goes once she has a mentor."""
    from organisations.personal import links_for

    round_, m, a, _b = world
    mentors = reverse("matching_requests:mentors", args=[tenant.slug])
    start = client_for(a.user).get(reverse("start")).content.decode()
    assert mentors in start
    assert start.index(mentors) < start.index(f"/{tenant.slug}/my/applications/")
    keys = [link.key for link in links_for(user=a.user, tenant=tenant)]
    assert keys.index("choosing.choose") < keys.index("applications.submitted")
    # Neither a mentor nor an adept of a coordinated programme gets the link.
    assert "choosing.choose" not in [k.key for k in links_for(user=m.user, tenant=tenant)]
    c = adept(RoundFactory(programme=ProgrammeFactory(tenant=tenant)))
    assert "choosing.choose" not in [k.key for k in links_for(user=c.user, tenant=tenant)]
    services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m, message="")
    services.accept(tenant=tenant, actor=m.user, request=MentorRequest.objects.get())
    assert "choosing.choose" not in [k.key for k in links_for(user=a.user, tenant=tenant)]


def test_isolation(world, tenant, other_tenant, coordinator):
    round_, m, a, b = world
    request = services.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    pages = urls(tenant, request_pk=request.pk, mentor_pk=m.pk)
    anonymous = client_for()
    for method, url in pages:
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    # a signed-in stranger, a coordinator who takes no part, a member of another tenant
    with scopes_disabled():
        foreign = make_round(other_tenant)
        foreign_adept, foreign_mentor = adept(foreign), mentor(foreign)
        MembershipFactory(tenant=other_tenant, user=UserFactory())
    for user in (UserFactory(), coordinator, foreign_adept.user, foreign_mentor.user):
        client = client_for(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    # the mentor cannot use the adept's pages, nor the adept the mentor's
    assert client_for(m.user).get(pages[0][1]).status_code == 404
    assert client_for(a.user).get(pages[3][1]).status_code == 404
    # another tenant's mentor and request under one's own path
    with scope(tenant=other_tenant):
        foreign_request = services.ask(
            tenant=other_tenant,
            actor=foreign_adept.user,
            adept_app=foreign_adept,
            mentor_app=foreign_mentor,
        )
    assert (
        client_for(a.user)
        .get(reverse("matching_requests:ask", args=[tenant.slug, foreign_mentor.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(m.user)
        .post(reverse("matching_requests:accept", args=[tenant.slug, foreign_request.pk]))
        .status_code
        == 404
    )
    foreign_request.refresh_from_db()
    assert foreign_request.status == "asked"


def _browse_queries(tenant, round_, adept_app):
    client = client_for(adept_app.user)
    url = reverse("matching_requests:mentors", args=[tenant.slug])
    client.get(url)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_browse_page_query_count_does_not_grow_with_mentors(tenant):
    round_ = make_round(tenant)
    a = adept(round_)
    themes = [ThemeFactory(programme=round_.programme) for _ in range(3)]
    for _ in range(3):
        mentor(round_, capacity=2).themes.add(*themes)
    few = _browse_queries(tenant, round_, a)
    for _ in range(12):
        mentor(round_, capacity=2).themes.add(*themes)
    assert Application.objects.filter(round=round_, role="mentor").count() == 15
    many = _browse_queries(tenant, round_, a)
    assert few == many
