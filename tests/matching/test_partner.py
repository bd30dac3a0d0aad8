"""The participant's home shows their own pairs: the partner's name and contact details for an
active pair (every adept of a mentor with several), ended pairs briefly; never anyone else's
pair, never another tenant's; a fixed number of queries whatever the number of pairs."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from applications.models import Application
from matching.templatetags.matching_tags import pairs_for
from pairs.models import Pair
from programmes.models import Participant, ParticipantRole, Round
from tests.factories.organisations import OrganisationFactory, TenantFactory
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory, RoundFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory, PairFactory

pytestmark = pytest.mark.django_db

MATCHED = Application.Stage.MATCHED


def make_round(tenant, name="Omgång 7"):
    programme = ProgrammeFactory(tenant=tenant, name="Mentorprogram för chefer")
    return RoundFactory(programme=programme, name=name, status=Round.Status.RUNNING)


def make_pair(round_, *, mentor=None, mentor_kwargs=None, adept_kwargs=None, **kwargs):
    """An active pair of the round, with both people's participants (as publish leaves them)."""
    mentor = mentor or AcceptedMentorFactory(
        round=round_, stage=MATCHED, capacity=5, **(mentor_kwargs or {})
    )
    adept = AcceptedAdeptFactory(round=round_, stage=MATCHED, **(adept_kwargs or {}))
    pair = PairFactory(round=round_, mentor=mentor, adept=adept, **kwargs)
    for application in (mentor, adept):
        Participant.objects.get_or_create(
            tenant=round_.tenant,
            round=round_,
            user=application.user,
            role=application.role,
            defaults={"organisation": application.organisation},
        )
    return pair


def home(tenant):
    return reverse("programmes:participant_home", kwargs={"tenant": tenant.slug})


def page_for(user, tenant):
    client = Client()
    client.force_login(user)
    response = client.get(home(tenant))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world(tenant):
    round_ = make_round(tenant)
    pair = make_pair(
        round_,
        mentor_kwargs={
            "full_name": "Mona Mentorsdotter",
            "job_title": "Förvaltningschef, äldreomsorg",
            "phone": "070-174 06 10",
            "organisation": OrganisationFactory(tenant=tenant, name="Mentorns kommun"),
        },
        adept_kwargs={
            "full_name": "Adela Adeptsson",
            "job_title": "Enhetschef, hemtjänst Norr",
            "phone": "+46 70 174 06 20",
            "organisation": OrganisationFactory(tenant=tenant, name="Adeptens kommun"),
        },
    )
    # A third participant of the same round, in a pair of their own.
    other_pair = make_pair(
        round_,
        mentor_kwargs={"full_name": "Fjärde Mentorsson"},
        adept_kwargs={"full_name": "Tredje Personsson", "job_title": "Rektor, Västerskolan"},
    )
    # And an accepted adept of the round who has no pair yet.
    loner = AcceptedAdeptFactory(round=round_, full_name="Ensam Väntarsson")
    ParticipantFactory(round=round_, user=loner.user, role=ParticipantRole.ADEPT)
    return {"round": round_, "pair": pair, "other_pair": other_pair, "loner": loner}


def test_the_adept_sees_the_mentor_with_contact_details(tenant, world):
    pair = world["pair"]
    content = page_for(pair.adept_user, tenant)
    mentor = pair.mentor
    assert "Mona Mentorsdotter" in content
    assert "Förvaltningschef, äldreomsorg" in content
    assert "Mentorns kommun" in content
    assert f'href="mailto:{mentor.email}"' in content
    assert 'href="tel:070174061' in content and "070-174 06 10" in content
    assert "Mentorprogram för chefer: Omgång 7" in content
    assert timezone.localtime(pair.started_at).strftime("%Y-%m-%d") in content
    # Nobody else's pair.
    for name in ("Tredje Personsson", "Fjärde Mentorsson", "Ensam Väntarsson"):
        assert name not in content
    assert world["other_pair"].adept.email not in content
    assert world["other_pair"].mentor.email not in content


def test_the_mentor_sees_the_adept_with_contact_details(tenant, world):
    pair = world["pair"]
    content = page_for(pair.mentor_user, tenant)
    assert "Adela Adeptsson" in content
    assert "Enhetschef, hemtjänst Norr" in content
    assert "Adeptens kommun" in content
    assert f'href="mailto:{pair.adept.email}"' in content
    assert 'href="tel:+46701740620"' in content
    for name in ("Tredje Personsson", "Fjärde Mentorsson", "Ensam Väntarsson"):
        assert name not in content


def test_a_third_participant_of_the_round_sees_no_partner_card(tenant, world):
    content = page_for(world["loner"].user, tenant)
    assert "partner-card" not in content
    for name in ("Adela Adeptsson", "Mona Mentorsdotter", "Tredje Personsson"):
        assert name not in content
    assert world["pair"].mentor.email not in content
    assert world["pair"].adept.email not in content


def test_a_mentor_with_several_adepts_sees_all_of_them(tenant):
    round_ = make_round(tenant)
    first = make_pair(round_, adept_kwargs={"full_name": "Första Adepten"})
    second = make_pair(round_, mentor=first.mentor, adept_kwargs={"full_name": "Andra Adepten"})
    assert second.mentor_user == first.mentor_user
    content = page_for(first.mentor_user, tenant)
    assert content.count('class="card partner-card"') == 2
    assert "Första Adepten" in content and "Andra Adepten" in content
    # Each adept sees only the mentor, not the other adept.
    content = page_for(first.adept_user, tenant)
    assert content.count('class="card partner-card"') == 1
    assert "Andra Adepten" not in content


def test_an_ended_pair_is_listed_briefly_as_ended(tenant):
    round_ = make_round(tenant)
    pair = make_pair(round_, adept_kwargs={"full_name": "Avslutad Adeptsson"})
    Pair.objects.filter(pk=pair.pk).update(
        status=Pair.Status.ENDED, ended_at=timezone.now(), end_reason=Pair.EndReason.BY_AGREEMENT
    )
    content = page_for(pair.mentor_user, tenant)
    assert "partner-card" not in content
    assert "ended-pairs" in content and "Avslutad Adeptsson" in content
    assert f"mailto:{pair.adept.email}" not in content
    mine = pairs_for(tenant=tenant, user=pair.mentor_user)
    assert [p.is_active for p in mine] == [False] and mine.ended and not mine.active


def test_a_proposed_pair_is_not_shown(tenant):
    round_ = make_round(tenant)
    pair = make_pair(round_, status=Pair.Status.PROPOSED)
    assert pairs_for(tenant=tenant, user=pair.adept_user) == []
    assert "partner-card" not in page_for(pair.adept_user, tenant)


def test_another_tenants_pair_never_shows(tenant, world):
    """The same person in two tenants sees, in each, only that tenant's pair."""
    adept_user = world["pair"].adept_user
    with scopes_disabled():
        other = TenantFactory(name="Annat nätverk")
        other_round = make_round(other, name="Främmande omgång")
        foreign = make_pair(
            other_round,
            mentor_kwargs={"full_name": "Främmande Mentorsson"},
            adept_kwargs={"user": adept_user, "full_name": adept_user.full_name},
        )
    content = page_for(adept_user, tenant)
    assert "Mona Mentorsdotter" in content
    assert "Främmande Mentorsson" not in content and "Främmande omgång" not in content
    assert foreign.mentor.email not in content
    content = page_for(adept_user, other)
    assert "Främmande Mentorsson" in content
    assert "Mona Mentorsdotter" not in content
    with scope(tenant=other):
        assert [p.pair for p in pairs_for(tenant=other, user=adept_user)] == [foreign]


def test_the_tag_is_safe_for_anonymous_and_strangers(tenant, world, stranger):
    from django.contrib.auth.models import AnonymousUser

    assert pairs_for(tenant=tenant, user=AnonymousUser()) == []
    assert pairs_for(tenant=tenant, user=stranger) == []
    html = Template(
        "{% load matching_tags %}{% my_pairs tenant user as pairs %}{{ pairs|length }}"
    ).render(Context({"tenant": tenant, "user": world["pair"].mentor_user}))
    assert html == "1"


def count_queries(user, tenant):
    client = Client()
    client.force_login(user)
    client.get(home(tenant))  # warm up: the calendar address is made on the first visit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(home(tenant))
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode()


def test_query_count_is_the_same_for_one_and_five_pairs(db):
    counts = {}
    for n in (1, 5):
        tenant = TenantFactory()
        round_ = make_round(tenant)
        first = make_pair(round_)
        for _ in range(n - 1):
            make_pair(round_, mentor=first.mentor)
        queries, content = count_queries(first.mentor_user, tenant)
        assert content.count('class="card partner-card"') == n
        counts[n] = queries
    assert len(counts[1]) == len(counts[5]), "\n".join(
        ["one:", *counts[1], "", "five:", *counts[5]]
    )
