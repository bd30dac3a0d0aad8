"""The application lists and the round dashboard ask the database a fixed number of times.

The same kind of tenant is built twice, small (3 applications) and large (30, with more
organisations, themes, endorsements, nominations and interview notes), and one view of each page
is counted after a warm-up.
"""

import html
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Endorsement, InterviewNote, Nomination, Theme
from programmes.models import ParticipantRole
from tests.applications.test_services import (
    coordinator_membership,
    hr_membership,
    make_application,
    open_round,
)
from tests.factories.organisations import OrganisationFactory, TenantFactory
from tests.factories.programmes import ProgrammeFactory, SharedMeetingFactory

Stage = Application.Stage
SMALL, LARGE = 3, 30
STAGES = [
    Stage.AWAITING_ENDORSEMENT,
    Stage.AWAITING_NOMINATION,
    Stage.NOMINATED,
    Stage.UNDER_REVIEW,
    Stage.ACCEPTED,
    Stage.WAITLISTED,
    Stage.DECLINED,
    Stage.DRAFT,
    Stage.DECLINED_BY_ORGANISATION,
    Stage.WITHDRAWN,
]


def build(size):
    tenant = TenantFactory()
    coordinator = coordinator_membership(tenant).user
    orgs = [
        OrganisationFactory(tenant=tenant, name=f"Organisation {i:02}")
        for i in range(max(2, size // 5))
    ]
    hr = hr_membership(tenant, *orgs[: max(2, size // 10)]).user
    programme = ProgrammeFactory(tenant=tenant, name="Huvudprogrammet")
    round_ = open_round(
        programme=programme,
        name="Huvudomgången",
        requires_endorsement=True,
        requires_nomination=True,
        nomination_quota=50,
    )
    SharedMeetingFactory(round=round_)
    themes = [
        Theme.objects.create(tenant=tenant, programme=programme, name=f"Tema {i}")
        for i in range(max(2, size // 5))
    ]
    applications = []
    for i in range(size):
        application = make_application(
            round_,
            organisation=orgs[i % len(orgs)] if i % 7 != 6 else None,
            role=ParticipantRole.MENTOR if i % 2 else ParticipantRole.ADEPT,
            stage=STAGES[i % len(STAGES)],
            full_name=f"Sökande {i:02}",
            themes=themes[: 1 + i % 3],
            complete=i % 7 != 6,
        )
        Endorsement.objects.create(
            tenant=tenant,
            application=application,
            manager_email=f"chef{i}@example.se",
            expires_at=timezone.now() + timezone.timedelta(days=10),
            supports=i % 3 == 0,
        )
        if application.stage not in (
            Stage.DRAFT,
            Stage.AWAITING_ENDORSEMENT,
            Stage.AWAITING_NOMINATION,
        ):
            Nomination.objects.create(
                tenant=tenant, application=application, nominated=True, decided_by=hr
            )
            InterviewNote.objects.create(tenant=tenant, application=application, notes="Bra")
        applications.append(application)
    # The first HR organisation always has an applicant on the list.
    first = make_application(
        round_,
        organisation=orgs[0],
        stage=Stage.AWAITING_NOMINATION,
        full_name="Sista sökanden",
        themes=themes,
    )
    applications.append(first)
    # The same person has applied to more rounds when the tenant is large.
    for i in range(size // 3):
        other = open_round(programme=ProgrammeFactory(tenant=tenant), name=f"Omgång {i}")
        make_application(
            other, user=first.user, organisation=orgs[0], stage=STAGES[i % len(STAGES)]
        )
    return SimpleNamespace(
        tenant=tenant,
        coordinator=coordinator,
        hr=hr,
        round=round_,
        applications=applications,
        themes=themes,
        orgs=orgs,
    )


PAGES = {
    # page: (who looks, url name, url kwargs, a text the page must show)
    "review_list": (
        "coordinator",
        "applications:review_list",
        lambda w: {"round_pk": w.round.pk},
        "Sista sökanden",
    ),
    "review_list_filtered": (
        "coordinator",
        "applications:review_list",
        lambda w: {"round_pk": w.round.pk},
        "Sista sökanden",
    ),
    "hr_list": ("hr", "applications:hr_list", lambda w: {"round_pk": w.round.pk}, "Sista sökanden"),
    "round_dashboard": (
        "coordinator",
        "programmes:round_dashboard",
        lambda w: {"pk": w.round.pk},
        "Waiting for nomination",
    ),
    "my_applications": ("applicant", "applications:my_applications", lambda w: {}, "Huvudomgången"),
}


def count_queries(world, page_name):
    who, name, kwargs, expected = PAGES[page_name]
    client = Client()
    client.cookies["mentorship_language"] = "en"
    user = world.applications[-1].user if who == "applicant" else getattr(world, who)
    client.force_login(user)
    target = reverse(name, kwargs={"tenant": world.tenant.slug, **kwargs(world)})
    params = {}
    if page_name == "review_list_filtered":
        params = {
            "role": "adept",
            "theme": world.themes[0].pk,
            "q": "sök",
            "organisation": world.orgs[0].pk,
        }
    client.get(target, params)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target, params)
    assert response.status_code == 200
    assert expected in html.unescape(response.content.decode())
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page_name", list(PAGES))
def test_query_count_does_not_grow_with_the_data(db, page_name):
    small = count_queries(build(SMALL), page_name)
    large = count_queries(build(LARGE), page_name)
    assert len(small) == len(large), "\n".join(large)
