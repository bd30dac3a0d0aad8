""" "Att göra": each item appears with its count, deadline and link to the filtered list,
disappears when the work is done, and costs the same number of queries at 3 and 30
applications on the overview, a round's page and the HR home."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from applications import services as application_services
from applications.models import Application, Endorsement
from matching import services as matching_services
from matching.models import Proposal, ProposedPair
from organisations.attention import items_for
from organisations.models import OutgoingMail
from organisations.outbox import send_again
from pairs import services as pair_services
from programmes import services as programme_services
from programmes.models import Participant, Round
from tests.evaluation.factories import SurveyFactory, SurveyQuestionFactory, answer
from tests.evaluation.factories import participants as make_participants
from tests.factories.applications import (
    ApplicationFactory,
    EndorsementFactory,
    InterviewNoteFactory,
)
from tests.factories.organisations import MembershipFactory, OrganisationFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory, SharedMeetingFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory, PairFactory

Stage = Application.Stage


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def by_key(items, key):
    found = [item for item in items if item.key == key]
    return found[0] if len(found) == 1 else (found or None)


def make_round(tenant, **kwargs):
    programme = ProgrammeFactory(tenant=tenant, name="Chefsprogrammet")
    kwargs.setdefault("status", Round.Status.REVIEW)
    return RoundFactory(programme=programme, name="Omgång 3", **kwargs)


def review_url(tenant, round_, query):
    return reverse("applications:review_list", args=[tenant.slug, round_.pk]) + query


def test_waiting_for_the_manager_shows_the_longest_wait_and_goes_when_answered(tenant, coordinator):
    round_ = make_round(tenant, requires_endorsement=True)
    waiting = [ApplicationFactory(round=round_, stage=Stage.AWAITING_ENDORSEMENT) for _ in range(2)]
    for application in waiting:
        EndorsementFactory(application=application)
    Endorsement.objects.filter(application=waiting[0]).update(
        sent_at=timezone.now() - timedelta(days=12, hours=1)
    )
    item = by_key(items_for(tenant=tenant), "applications.awaiting_endorsement")
    assert item.count == 2
    assert item.text == "2 applications wait for the manager's support"
    assert item.detail == "The longest has waited 12 days."
    assert item.url == review_url(tenant, round_, "?stage=awaiting_endorsement")
    assert item.round_label == "Chefsprogrammet: Omgång 3"

    for application in waiting:
        application_services.change_stage(
            application=application, to_stage=Stage.UNDER_REVIEW, actor=coordinator
        )
    assert by_key(items_for(tenant=tenant), "applications.awaiting_endorsement") is None


def test_waiting_for_nomination_for_the_coordinators_and_the_hr_contact(tenant, coordinator):
    closes = timezone.now() + timedelta(days=9)
    round_ = make_round(
        tenant,
        status=Round.Status.OPEN,
        requires_nomination=True,
        nomination_quota=2,
        application_closes_at=closes,
    )
    org_a = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    org_b = OrganisationFactory(tenant=tenant, name="Borås stad")
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[org_a]
    )
    ApplicationFactory(round=round_, organisation=org_a, stage=Stage.NOMINATED)
    mine = [
        ApplicationFactory(round=round_, organisation=org_a, stage=Stage.AWAITING_NOMINATION)
        for _ in range(2)
    ]
    ApplicationFactory(round=round_, organisation=org_b, stage=Stage.AWAITING_NOMINATION)

    item = by_key(items_for(tenant=tenant), "applications.awaiting_nomination")
    assert item.count == 3
    assert item.deadline == closes
    assert item.url == review_url(tenant, round_, "?stage=awaiting_nomination")

    hr_items = items_for(tenant=tenant, membership=hr)
    assert [i.key for i in hr_items] == ["applications.hr_nomination"]
    item = hr_items[0]
    assert item.count == 2
    assert item.text == "2 applications wait for your decision"
    assert item.deadline == closes
    assert item.detail == "Alingsås kommun: 1 nomination left of 2."
    assert item.url == (
        reverse("applications:hr_list", args=[tenant.slug, round_.pk])
        + "?stage=awaiting_nomination"
    )

    application_services.nominate(application=mine[0], actor=hr.user, membership=hr, nominated=True)
    item = items_for(tenant=tenant, membership=hr)[0]
    assert item.count == 1
    assert item.detail == "Alingsås kommun: 0 nominations left of 2."
    application_services.nominate(
        application=mine[1], actor=hr.user, membership=hr, nominated=False, motivation="Kvoten"
    )
    assert items_for(tenant=tenant, membership=hr) == []
    # Borås stad's applicant still waits: the coordinators still see it.
    assert by_key(items_for(tenant=tenant), "applications.awaiting_nomination").count == 1


def test_the_hr_list_filters_by_stage_and_keeps_the_quota_whole(tenant):
    round_ = make_round(
        tenant, status=Round.Status.OPEN, requires_nomination=True, nomination_quota=3
    )
    org = OrganisationFactory(tenant=tenant)
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[org]
    )
    hr.user.language = "en"
    hr.user.save()
    waiting = ApplicationFactory(
        round=round_, organisation=org, stage=Stage.AWAITING_NOMINATION, full_name="Wera Väntar"
    )
    ApplicationFactory(
        round=round_, organisation=org, stage=Stage.NOMINATED, full_name="Nina Nominerad"
    )
    client = Client()
    client.force_login(hr.user)
    url = reverse("applications:hr_list", args=[tenant.slug, round_.pk])
    page = client.get(url + "?stage=awaiting_nomination").content.decode()
    assert waiting.full_name in page
    assert "Nina Nominerad" not in page
    assert "1 of 3 nominations used" in page
    # The list's own stage filter shows the stage the item linked to.
    assert 'value="awaiting_nomination" selected' in page
    page = client.get(url + "?stage=nonsense").content.decode()
    assert "Nina Nominerad" in page and waiting.full_name in page


def test_submitted_not_reviewed_and_interview_not_noted(tenant, coordinator):
    round_ = make_round(tenant, requires_interview=True)
    submitted = [ApplicationFactory(round=round_, full_name=f"Sökande {i}") for i in range(3)]
    InterviewNoteFactory(application=submitted[0])
    InterviewNoteFactory(application=submitted[1], notes="")
    ApplicationFactory(round=round_, stage=Stage.NOMINATED)

    items = items_for(tenant=tenant, round_=round_)
    assert by_key(items, "applications.submitted").count == 3
    assert by_key(items, "applications.submitted").url == review_url(
        tenant, round_, "?stage=submitted"
    )
    assert by_key(items, "applications.nominated").count == 1
    interview = by_key(items, "applications.no_interview")
    assert interview.count == 3  # two submitted without notes, the nominated one
    assert interview.url == review_url(tenant, round_, "?interview=missing")

    coordinator.language = "en"
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    page = client.get(interview.url).content.decode()
    assert "Sökande 1" in page and "Sökande 2" in page
    assert "Sökande 0" not in page
    assert "Only applicants without interview notes." in page

    for application in submitted[1:]:
        application_services.save_interview(
            application=application, actor=coordinator, booking="", notes="Samtal klart."
        )
    assert by_key(items_for(tenant=tenant, round_=round_), "applications.no_interview").count == 1


def test_under_review_and_not_decided(tenant, coordinator):
    """A round without the manager's or the nomination step sends a submitted application
    straight to "under review": it waits for the coordinators' decision, and says so."""
    round_ = make_round(tenant)
    waiting = [ApplicationFactory(round=round_, stage=Stage.UNDER_REVIEW) for _ in range(2)]
    Application.objects.filter(pk=waiting[0].pk).update(
        submitted_at=timezone.now() - timedelta(days=5, hours=1)
    )
    item = by_key(items_for(tenant=tenant), "applications.under_review")
    assert item.count == 2
    assert item.text == "2 applications under review wait for your decision"
    assert item.detail == "The longest has waited 5 days."
    assert item.url == review_url(tenant, round_, "?stage=under_review")
    application_services.decide(application=waiting[0], actor=coordinator, decision="accepted")
    assert by_key(items_for(tenant=tenant), "applications.under_review").count == 1
    application_services.decide(application=waiting[1], actor=coordinator, decision="declined")
    assert by_key(items_for(tenant=tenant), "applications.under_review") is None


def test_a_round_without_interviews_has_no_interview_item(tenant):
    round_ = make_round(tenant, requires_interview=False)
    ApplicationFactory(round=round_)
    assert by_key(items_for(tenant=tenant), "applications.no_interview") is None


def test_accepted_but_not_matched_only_once_the_round_matches(tenant, coordinator):
    round_ = make_round(tenant)
    AcceptedAdeptFactory(round=round_)
    AcceptedMentorFactory(round=round_)
    assert by_key(items_for(tenant=tenant), "applications.accepted") is None
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.MATCHING)
    item = by_key(items_for(tenant=tenant), "applications.accepted")
    assert item.count == 2
    assert item.url == review_url(tenant, round_, "?stage=accepted")


def test_accepted_in_a_mentor_bank_leads_to_the_bank(tenant):
    programme = ProgrammeFactory(tenant=tenant, kind="continuous")
    round_ = RoundFactory(programme=programme, status=Round.Status.RUNNING)
    AcceptedAdeptFactory(round=round_)
    item = by_key(items_for(tenant=tenant), "applications.accepted")
    assert item.url == reverse("matching_bank:manage_bank_home", args=[tenant.slug, round_.pk])


def test_a_proposal_not_published(tenant, coordinator):
    round_ = make_round(tenant, status=Round.Status.MATCHING)
    Proposal.objects.create(tenant=tenant, round=round_, name="Förslag 1")
    latest = Proposal.objects.create(tenant=tenant, round=round_, name="Förslag 2")
    ProposedPair.objects.create(
        tenant=tenant,
        proposal=latest,
        mentor=AcceptedMentorFactory(round=round_),
        adept=AcceptedAdeptFactory(round=round_),
    )
    item = by_key(items_for(tenant=tenant), "matching.proposal")
    assert item.count == 2
    assert item.url == reverse("matching:proposal", args=[tenant.slug, latest.pk])
    matching_services.publish(tenant=tenant, actor=coordinator, proposal=latest)
    assert by_key(items_for(tenant=tenant), "matching.proposal") is None


def make_pair(round_, **kwargs):
    pair = PairFactory(round=round_, **kwargs)
    for application in (pair.mentor, pair.adept):
        Participant.objects.get_or_create(
            tenant=round_.tenant,
            round=round_,
            user=application.user,
            role=application.role,
            defaults={"organisation": application.organisation},
        )
    return pair


def test_pairs_without_agreement_quiet_and_asking_to_end(tenant, coordinator):
    round_ = make_round(tenant, status=Round.Status.RUNNING, quiet_pair_weeks=6)
    long_ago = timezone.now() - timedelta(weeks=8)
    old = make_pair(round_, started_at=long_ago)
    make_pair(round_, started_at=timezone.now() - timedelta(weeks=2))  # too new to nag
    pairs_url = reverse("matching:pairs", args=[tenant.slug, round_.pk])

    items = items_for(tenant=tenant, round_=round_)
    unconfirmed = by_key(items, "pairs.unconfirmed")
    assert unconfirmed.count == 1
    assert unconfirmed.text == "1 pair has not confirmed its agreement after 4 weeks"
    assert unconfirmed.url == f"{pairs_url}?show=unconfirmed"
    assert by_key(items, "pairs.quiet").count == 1
    assert by_key(items, "pairs.quiet").url == f"{pairs_url}?show=quiet"
    assert by_key(items, "pairs.asked") is None

    coordinator.language = "en"
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    page = client.get(unconfirmed.url).content.decode()
    assert old.adept.full_name in page

    pair_services.save_agreement(
        tenant=tenant,
        actor=old.mentor_user,
        pair=old,
        data={"how_often": "Varannan vecka", "where": "Kafé", "confidentiality": "Allt stannar"},
    )
    pair_services.confirm_agreement(tenant=tenant, actor=old.adept_user, pair=old)
    assert by_key(items_for(tenant=tenant, round_=round_), "pairs.unconfirmed") is None

    pair_services.request_end(tenant=tenant, actor=old.adept_user, pair=old, reason="Nytt jobb")
    asked = by_key(items_for(tenant=tenant, round_=round_), "pairs.asked")
    assert asked.count == 1
    assert asked.url == f"{pairs_url}?show=asked"
    old.refresh_from_db()
    matching_services.end_pair(tenant=tenant, actor=coordinator, pair=old, reason="changed_job")
    items = items_for(tenant=tenant, round_=round_)
    assert by_key(items, "pairs.asked") is None
    assert by_key(items, "pairs.quiet") is None


def test_a_shared_day_within_a_week_with_unanswered_invitations(tenant):
    round_ = make_round(tenant, status=Round.Status.RUNNING)
    soon = SharedMeetingFactory(
        round=round_, title="Uppstartsdag", date=timezone.localdate() + timedelta(days=3)
    )
    SharedMeetingFactory(round=round_, date=timezone.localdate() + timedelta(days=20))
    first, second = (
        Participant.objects.create(
            tenant=tenant, round=round_, user=ApplicationFactory(round=round_).user, role="adept"
        )
        for _ in range(2)
    )
    programme_services.respond_to_meeting(
        tenant=tenant, participant=first, meeting=soon, attending=True
    )
    items = [i for i in items_for(tenant=tenant) if i.key == "programmes.shared_day"]
    assert len(items) == 1
    assert items[0].count == 1
    assert items[0].text == "1 participant has not answered for “Uppstartsdag”"
    assert items[0].deadline == soon.date
    assert items[0].url == reverse("programmes:meeting_detail", args=[tenant.slug, soon.pk])
    programme_services.respond_to_meeting(
        tenant=tenant, participant=second, meeting=soon, attending=False
    )
    assert by_key(items_for(tenant=tenant), "programmes.shared_day") is None


def test_an_open_survey_with_its_response_rate_counted_as_the_results_are(tenant):
    round_ = make_round(tenant, status=Round.Status.RUNNING)
    mentors, adepts = make_participants(round_, mentors=3, adepts=3)
    survey = SurveyFactory(round=round_, title="Halvtid")
    question = SurveyQuestionFactory(survey=survey)
    item = by_key(items_for(tenant=tenant), "evaluation.survey")
    assert item.count == 6
    assert item.text == "“Halvtid” is open: 6 have not answered"
    assert item.deadline == survey.closes_at
    assert item.url == reverse("evaluation:survey", args=[tenant.slug, survey.pk])
    people = mentors + adepts
    # One or two answers are not shown yet (batches of three): the item does not move.
    for user in people[:2]:
        answer(survey, user, values={question: "4"})
        assert by_key(items_for(tenant=tenant), "evaluation.survey").count == 6
    answer(survey, people[2], values={question: "4"})
    item = by_key(items_for(tenant=tenant), "evaluation.survey")
    assert item.count == 3
    assert item.detail == "Response rate 50 % (3 of 6). Answers are counted 3 at a time."
    for user in people[3:]:
        answer(survey, user, values={question: "4"})
    assert by_key(items_for(tenant=tenant), "evaluation.survey") is None


def test_failed_mails_on_the_overview_only(tenant):
    mail = OutgoingMail.objects.create(
        tenant=tenant,
        purpose="test",
        to="a@example.se",
        language="sv",
        subject="Hej",
        body="Hej",
        status=OutgoingMail.Status.FAILED,
    )
    item = by_key(items_for(tenant=tenant), "outbox.failed")
    assert item.count == 1
    assert item.url == reverse("organisations:outbox", args=[tenant.slug]) + "?status=failed"
    round_ = make_round(tenant)
    assert by_key(items_for(tenant=tenant, round_=round_), "outbox.failed") is None
    send_again(mail=mail)
    assert by_key(items_for(tenant=tenant), "outbox.failed") is None


def test_another_tenants_work_is_not_counted(tenant, other_tenant):
    with scopes_disabled():
        other_round = make_round(other_tenant)
        ApplicationFactory(round=other_round)
    assert items_for(tenant=tenant) == []


def test_the_pages_show_the_items_with_their_links(tenant, coordinator, hr_contact, organisation):
    round_ = make_round(
        tenant,
        status=Round.Status.OPEN,
        requires_nomination=True,
        application_closes_at=timezone.now() + timedelta(days=5),
    )
    ApplicationFactory(round=round_, organisation=organisation, stage=Stage.AWAITING_NOMINATION)
    for user in (coordinator, hr_contact):
        user.language = "en"
        user.save()
    client = Client()
    client.force_login(coordinator)
    for url in (
        reverse("organisations:dashboard", args=[tenant.slug]),
        reverse("programmes:round_dashboard", args=[tenant.slug, round_.pk]),
    ):
        page = html.unescape(client.get(url).content.decode())
        assert "To do" in page
        assert "1 application waits for the organisation's nomination" in page
        assert 'href="' + review_url(tenant, round_, "?stage=awaiting_nomination") in page
        assert "Deadline " in page
    overview = client.get(reverse("organisations:dashboard", args=[tenant.slug])).content.decode()
    assert "Chefsprogrammet: Omgång 3" in overview
    client.force_login(hr_contact)
    page = html.unescape(
        client.get(reverse("organisations:hr_home", args=[tenant.slug])).content.decode()
    )
    assert "1 application waits for your decision" in page
    assert "?stage=awaiting_nomination" in page
    assert "organisation's nomination" not in page  # the coordinators' item is not the HR's


def test_nothing_to_do_says_so(tenant, coordinator):
    coordinator.language = "en"
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("organisations:dashboard", args=[tenant.slug])).content.decode()
    assert "Nothing waits for you right now." in page


# --- the same number of queries at 3 and 30 applications -----------------------------------


def populate(tenant, n):
    """A round of every kind of work, n of each."""
    org = OrganisationFactory(tenant=tenant)
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[org]
    )
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    round_ = make_round(
        tenant,
        status=Round.Status.RUNNING,
        requires_nomination=True,
        requires_interview=True,
        nomination_quota=5,
        application_closes_at=timezone.now() + timedelta(days=3),
    )
    for stage in (Stage.SUBMITTED, Stage.AWAITING_NOMINATION, Stage.AWAITING_ENDORSEMENT):
        for _ in range(n):
            application = ApplicationFactory(round=round_, organisation=org, stage=stage)
            if stage == Stage.AWAITING_ENDORSEMENT:
                EndorsementFactory(application=application)
    for _ in range(n):
        AcceptedAdeptFactory(round=round_, organisation=org)
        make_pair(round_, started_at=timezone.now() - timedelta(weeks=10))
    SharedMeetingFactory(round=round_, date=timezone.localdate() + timedelta(days=2))
    SurveyFactory(round=round_)
    return round_, coordinator, hr.user


def count_queries(user, url):
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "To do" in response.content.decode() or "Att göra" in response.content.decode()
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", ["overview", "round", "hr"])
def test_the_query_count_does_not_grow_with_the_data(db, page):
    from tests.factories.organisations import TenantFactory

    counts = []
    for n in (3, 30):
        tenant = TenantFactory()
        with scopes_disabled():
            round_, coordinator, hr_user = populate(tenant, n)
        with scope(tenant=tenant):
            items = items_for(tenant=tenant)
            assert by_key(items, "applications.submitted").count == n
            assert by_key(items, "pairs.quiet").count == n
        url, user = {
            "overview": (reverse("organisations:dashboard", args=[tenant.slug]), coordinator),
            "round": (
                reverse("programmes:round_dashboard", args=[tenant.slug, round_.pk]),
                coordinator,
            ),
            "hr": (reverse("organisations:hr_home", args=[tenant.slug]), hr_user),
        }[page]
        counts.append(count_queries(user, url))
    assert counts[0] == counts[1], counts
