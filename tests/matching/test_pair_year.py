"""A pair's year beyond the log: planned meetings (both calendars, the partner told, one
click to log once held), asking to end the pair (the coordinators and the asker's HR contact
told; the reason never reaches the partner or the log), the coordinator's view of pair
activity (counts and dates only; quiet pairs), and the participant's "what to do next"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matching import selectors, services
from organisations.models import ActivityLog, OutgoingMail
from pairs import checklists
from pairs import services as pairwork
from pairs.models import Pair, PairAgreement, PairMeeting, PlannedMeeting, PrivateNote
from programmes import services as programme_services
from tests.factories.organisations import MembershipFactory, TenantFactory
from tests.matching.test_partner import make_pair, make_round

pytestmark = pytest.mark.django_db

REASON = "Kemin stämmer inte mellan oss 8812"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def pair_url(pair, name="pair", **kw):
    return reverse(
        f"matching_pairwork:{name}", kwargs={"tenant": pair.tenant.slug, "pk": pair.pk, **kw}
    )


@pytest.fixture
def world(tenant, coordinator):
    round_ = make_round(tenant)
    round_.min_pair_meetings = 6
    round_.quiet_pair_weeks = 4
    round_.save()
    # The round's own checklists (the hospital group's routine, as a coordinator would pick).
    checklists.start_from_template(
        tenant=tenant,
        actor=coordinator,
        programme=round_.programme,
        round_=round_,
        template="routine",
        language="en",
    )
    pair = make_pair(round_, started_at=timezone.now() - timedelta(days=70))
    other = make_pair(round_, started_at=timezone.now() - timedelta(days=70))
    for person in (pair.mentor_user, pair.adept_user, other.mentor_user, other.adept_user):
        person.language = "en"
        person.save(update_fields=["language"])
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    return {"round": round_, "pair": pair, "other": other, "coordinator": coordinator}


def plan_data(days=7, **kw):
    day = timezone.localdate() + timedelta(days=days)
    data = {
        "day": day.isoformat(),
        "time": "14:30",
        "minutes": "90",
        "mode": "online",
        "place": "Teams",
    }
    data.update(kw)
    return {f"plan-{k}": v for k, v in data.items()}


# --- planned meetings -----------------------------------------------------------------------


def test_planning_a_meeting_tells_the_partner_and_shows_on_the_page(
    world, django_capture_on_commit_callbacks
):
    pair = world["pair"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(pair.adept_user).post(
            pair_url(pair, "plan"), plan_data(), follow=True
        )
    assert response.status_code == 200
    planned = PlannedMeeting.objects.get(pair=pair)
    local = timezone.localtime(planned.starts_at)
    assert (local.hour, local.minute, planned.minutes, planned.mode, planned.place) == (
        14,
        30,
        90,
        "online",
        "Teams",
    )
    assert planned.created_by == pair.adept_user
    page = client_for(pair.mentor_user).get(pair_url(pair)).content.decode()
    assert f'id="planned-{planned.pk}"' in page
    sent = [m for m in mail.outbox if m.to == [pair.mentor_user.email]]
    assert len(sent) == 1 and "planned your next meeting" in sent[0].subject
    assert not [m for m in mail.outbox if m.to == [pair.adept_user.email]]
    assert ActivityLog.objects.filter(action="matching.meeting_planned").count() == 1


@pytest.mark.parametrize(
    "data,field,text",
    [
        (plan_data(days=-1), "day", "must be in the future"),
        (plan_data(days=500), "day", "at most 400 days ahead"),
        (plan_data(minutes="5"), "minutes", "between 10 and 600"),
        (plan_data(place="x" * 201), "place", "at most 200 characters"),
        (plan_data(day="not-a-date"), "day", "valid date"),
    ],
)
def test_bad_plans_are_refused_with_a_clear_error(world, data, field, text):
    pair = world["pair"]
    response = client_for(pair.adept_user).post(pair_url(pair, "plan"), data)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not PlannedMeeting.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_cancelling_a_planned_meeting_takes_it_off_the_calendar(world):
    pair = world["pair"]
    start = timezone.now() + timedelta(days=5)
    planned = pairwork.plan_meeting(
        tenant=pair.tenant,
        actor=pair.mentor_user,
        pair=pair,
        starts_at=start,
        minutes=60,
        mode="in_person",
    )
    feed = programme_services.feed_for(tenant=pair.tenant, user=pair.adept_user)
    feed_url = reverse(
        "programmes:person_feed", kwargs={"tenant": pair.tenant.slug, "token": feed.token}
    )
    cal = Calendar.from_ical(Client().get(feed_url).content)
    events = [e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("pair-meeting-")]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == start.replace(microsecond=0) or abs(
        events[0].decoded("dtstart") - start
    ) < timedelta(seconds=1)
    assert events[0].decoded("dtend") - events[0].decoded("dtstart") == timedelta(minutes=60)
    mentor_name = pair.mentor.full_name
    assert mentor_name in str(events[0]["summary"])
    client_for(pair.adept_user).post(pair_url(pair, "cancel_planned", planned_pk=planned.pk))
    planned.refresh_from_db()
    assert planned.cancelled_at is not None and planned.sequence == 1
    cal = Calendar.from_ical(Client().get(feed_url).content)
    assert not [e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("pair-meeting-")]
    # Only the two people's feeds carry it: another pair's person sees nothing of it.
    other_feed = programme_services.feed_for(tenant=pair.tenant, user=world["other"].adept_user)
    other_url = reverse(
        "programmes:person_feed", kwargs={"tenant": pair.tenant.slug, "token": other_feed.token}
    )
    assert b"pair-meeting-" not in Client().get(other_url).content


def test_a_held_planned_meeting_is_logged_with_one_click(world):
    pair = world["pair"]
    planned = PlannedMeeting.objects.create(
        tenant=pair.tenant,
        pair=pair,
        starts_at=timezone.now() - timedelta(days=2),
        minutes=75,
        mode="phone",
        place="",
        created_by=pair.mentor_user,
    )
    page = client_for(pair.adept_user).get(pair_url(pair)).content.decode()
    assert 'id="to-log"' in page
    client_for(pair.adept_user).post(pair_url(pair, "log_planned", planned_pk=planned.pk))
    planned.refresh_from_db()
    meeting = PairMeeting.objects.get(pair=pair)
    assert planned.logged_as == meeting
    assert (meeting.minutes, meeting.mode, meeting.logged_by) == (75, "phone", pair.adept_user)
    # Twice is refused: one meeting only.
    response = client_for(pair.mentor_user).post(
        pair_url(pair, "log_planned", planned_pk=planned.pk)
    )
    assert response.status_code == 404
    assert PairMeeting.objects.filter(pair=pair).count() == 1


def test_another_pairs_planned_meeting_cannot_be_touched(world):
    pair, other = world["pair"], world["other"]
    planned = PlannedMeeting.objects.create(
        tenant=other.tenant,
        pair=other,
        starts_at=timezone.now() + timedelta(days=3),
        minutes=60,
        created_by=other.mentor_user,
    )
    response = client_for(pair.adept_user).post(
        pair_url(pair, "cancel_planned", planned_pk=planned.pk)
    )
    assert response.status_code == 404
    response = client_for(pair.adept_user).post(
        pair_url(other, "cancel_planned", planned_pk=planned.pk)
    )
    assert response.status_code == 404
    planned.refresh_from_db()
    assert planned.cancelled_at is None


def test_ending_the_pair_cancels_meetings_planned_ahead(world):
    pair = world["pair"]
    ahead = PlannedMeeting.objects.create(
        tenant=pair.tenant, pair=pair, starts_at=timezone.now() + timedelta(days=3), minutes=60
    )
    services.end_pair(
        tenant=pair.tenant, actor=world["coordinator"], pair=pair, reason=Pair.EndReason.CHANGED_JOB
    )
    ahead.refresh_from_db()
    assert ahead.cancelled_at is not None


# --- asking to end ------------------------------------------------------------------------------


def test_asking_to_end_reaches_coordinators_and_own_hr_not_the_partner(
    world, tenant, django_capture_on_commit_callbacks
):
    pair = world["pair"]
    own_hr = MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[pair.adept.organisation],
    ).user
    partner_hr = MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[pair.mentor.organisation],
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(pair.adept_user).post(
            pair_url(pair, "request_end"), {"reason": REASON}, follow=True
        )
    assert "The coordinator will contact you" in response.content.decode()
    pair.refresh_from_db()
    assert pair.end_requested_by == pair.adept_user and pair.end_request_reason == REASON
    assert pair.status == Pair.Status.ACTIVE
    recipients = {m.to[0] for m in mail.outbox}
    assert world["coordinator"].email in recipients and own_hr.email in recipients
    if pair.mentor.organisation_id != pair.adept.organisation_id:
        assert partner_hr.email not in recipients
    assert pair.mentor_user.email not in recipients
    assert all(REASON in m.body for m in mail.outbox)
    # The partner's page does not show the reason; the log never holds it.
    partner_page = client_for(pair.mentor_user).get(pair_url(pair)).content.decode()
    assert REASON not in partner_page
    assert not any(REASON in str(a.data) for a in ActivityLog.objects.all())
    # The coordinator sees it on the end page and the pairs list flags the pair.
    coordinator = client_for(world["coordinator"])
    pairs_page = coordinator.get(
        reverse("matching:pairs", kwargs={"tenant": tenant.slug, "round_pk": pair.round_id})
    ).content.decode()
    assert "Asked to end on" in pairs_page
    end_page = coordinator.get(
        reverse(
            "matching:end_pair",
            kwargs={"tenant": tenant.slug, "round_pk": pair.round_id, "pk": pair.pk},
        )
    ).content.decode()
    assert REASON in end_page


def test_asking_to_end_needs_a_reason_and_only_once(world):
    pair = world["pair"]
    c = client_for(pair.adept_user)
    response = c.post(pair_url(pair, "request_end"), {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = c.post(pair_url(pair, "request_end"), {"reason": "x" * 2001})
    assert response.status_code == 400
    pair.refresh_from_db()
    assert pair.end_requested_at is None
    c.post(pair_url(pair, "request_end"), {"reason": REASON})
    queued = OutgoingMail.objects.count()
    assert queued >= 1
    response = c.post(pair_url(pair, "request_end"), {"reason": REASON}, follow=True)
    assert "already been asked for" in response.content.decode()
    assert OutgoingMail.objects.count() == queued


def test_only_the_asker_withdraws(world):
    pair = world["pair"]
    pairwork.request_end(tenant=pair.tenant, actor=pair.adept_user, pair=pair, reason=REASON)
    client_for(pair.mentor_user).post(pair_url(pair, "withdraw_end"))
    pair.refresh_from_db()
    assert pair.end_requested_at is not None
    client_for(pair.adept_user).post(pair_url(pair, "withdraw_end"))
    pair.refresh_from_db()
    assert (pair.end_requested_at, pair.end_request_reason) == (None, "")


# --- the coordinator's view ----------------------------------------------------------------------


def test_pairs_page_shows_activity_counts_and_quiet_pairs_never_notes(world, tenant):
    pair, other = world["pair"], world["other"]
    today = timezone.localdate()
    for days in (60, 30, 10):
        m = PairMeeting.objects.create(
            tenant=tenant,
            pair=pair,
            date=today - timedelta(days=days),
            minutes=90,
            logged_by=pair.adept_user,
        )
    PrivateNote.objects.create(tenant=tenant, meeting=m, author=pair.adept_user, text="HEMLIGT 991")
    PairAgreement.objects.create(
        tenant=tenant,
        pair=pair,
        how_often="Varje månad TEXT 771",
        mentor_confirmed_at=timezone.now(),
        adept_confirmed_at=timezone.now(),
    )
    rows = {p.pk: p for p in selectors.with_activity(Pair.objects.filter(round=world["round"]))}
    assert (rows[pair.pk].meeting_count, rows[pair.pk].last_meeting) == (
        3,
        today - timedelta(days=10),
    )
    assert rows[pair.pk].agreement_confirmed and rows[pair.pk].quiet_since is None
    # The other pair started 70 days ago and never met: quiet (limit 4 weeks).
    assert rows[other.pk].meeting_count == 0 and rows[other.pk].quiet_since is not None
    response = client_for(world["coordinator"]).get(
        reverse("matching:pairs", kwargs={"tenant": tenant.slug, "round_pk": world["round"].pk})
    )
    page = response.content.decode()
    assert "3 of 6" in page and "Quiet since" in page
    assert "HEMLIGT 991" not in page and "TEXT 771" not in page
    quiet_only = (
        client_for(world["coordinator"])
        .get(
            reverse(
                "matching:pairs", kwargs={"tenant": tenant.slug, "round_pk": world["round"].pk}
            ),
            {"show": "quiet"},
        )
        .content.decode()
    )
    assert f'id="pair-{other.pk}"' in quiet_only and f'id="pair-{pair.pk}"' not in quiet_only
    # Planning ahead takes a pair out of "quiet".
    PlannedMeeting.objects.create(
        tenant=tenant, pair=other, starts_at=timezone.now() + timedelta(days=4), minutes=60
    )
    rows = {p.pk: p for p in selectors.with_activity(Pair.objects.filter(round=world["round"]))}
    assert rows[other.pk].quiet_since is None


def _grow(round_, n):
    for _ in range(n):
        p = make_pair(round_, started_at=timezone.now() - timedelta(days=50))
        PairMeeting.objects.create(
            tenant=round_.tenant, pair=p, date=timezone.localdate() - timedelta(days=3), minutes=60
        )
        PlannedMeeting.objects.create(
            tenant=round_.tenant, pair=p, starts_at=timezone.now() + timedelta(days=9), minutes=60
        )


def test_pairs_page_query_count_does_not_grow(world, tenant):
    client = client_for(world["coordinator"])
    page = reverse("matching:pairs", kwargs={"tenant": tenant.slug, "round_pk": world["round"].pk})
    _grow(world["round"], 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page).status_code == 200
    _grow(world["round"], 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(page).status_code == 200
    assert len(small) == len(large)


def test_pair_pages_of_another_tenant_are_404(world):
    pair = world["pair"]
    foreign = TenantFactory(name="Annan anordnare")
    foreign_round = make_round(foreign)
    foreign_pair = make_pair(foreign_round)
    c = client_for(pair.adept_user)
    for name in ("plan", "request_end", "withdraw_end"):
        assert c.post(pair_url(foreign_pair, name), {"reason": REASON}).status_code == 404
    # The foreign pair's own person, on our tenant's address of our pair: 404 too.
    c = client_for(foreign_pair.adept_user)
    assert c.post(pair_url(pair, "request_end"), {"reason": REASON}).status_code == 404
    assert not Pair.objects.filter(end_requested_at__isnull=False).exists()


# --- what to do next ---------------------------------------------------------------------------


def test_participant_home_lists_next_steps_in_order(world, tenant):
    pair = world["pair"]
    home = reverse("programmes:participant_home", kwargs={"tenant": tenant.slug})
    page = client_for(pair.adept_user).get(home).content.decode()
    assert "Agree on your ground rules with" in page
    assert "Prepare for your first meeting" in page
    assert "Plan your next meeting" in page
    pairwork.save_agreement(
        tenant=tenant, actor=pair.mentor_user, pair=pair, data={"how_often": "Varje månad"}
    )
    PlannedMeeting.objects.create(
        tenant=tenant, pair=pair, starts_at=timezone.now() - timedelta(days=1), minutes=60
    )
    page = client_for(pair.adept_user).get(home).content.decode()
    assert "Read and confirm the agreement" in page
    assert "Log it." in page
    assert "Agree on your ground rules" not in page
    mentor_page = client_for(pair.mentor_user).get(home).content.decode()
    assert "Read and confirm the agreement" not in mentor_page


@pytest.mark.parametrize("how", ["closed", "past_its_last_day"])
def test_a_participant_of_an_ended_programme_is_not_told_to_plan_the_next_meeting(
    world, tenant, how
):
    pair, round_ = world["pair"], world["round"]
    home = reverse("programmes:participant_home", kwargs={"tenant": tenant.slug})
    assert "Plan your next meeting" in client_for(pair.adept_user).get(home).content.decode()
    if how == "closed":
        round_.status = round_.Status.CLOSED
    else:
        round_.ends_on = timezone.localdate() - timedelta(days=1)
    round_.save()
    for person in (pair.adept_user, pair.mentor_user):
        page = client_for(person).get(home).content.decode()
        assert "Plan your next meeting" not in page
        assert "Agree on your ground rules" not in page
        assert "Prepare for your first meeting" not in page
    steps = selectors.pair_next_steps(tenant=tenant, user=pair.adept_user, now=timezone.now())
    assert steps == []


def test_participant_home_next_steps_keep_a_fixed_number_of_queries(world, tenant):
    pair = world["pair"]
    home = reverse("programmes:participant_home", kwargs={"tenant": tenant.slug})
    client = client_for(pair.mentor_user)
    client.get(home)  # the first visit makes the calendar address
    with CaptureQueriesContext(connection) as small:
        client.get(home)
    # The mentor takes two more adepts, with meetings planned and held.
    for _ in range(2):
        p = make_pair(world["round"], mentor=pair.mentor, started_at=timezone.now())
        PlannedMeeting.objects.create(
            tenant=tenant, pair=p, starts_at=timezone.now() - timedelta(hours=3), minutes=60
        )
        PairMeeting.objects.create(tenant=tenant, pair=p, date=timezone.localdate(), minutes=60)
    with CaptureQueriesContext(connection) as large:
        page = client.get(home).content.decode()
    assert page.count("Did your meeting on") == 2
    assert len(small) == len(large)


def test_no_mail_is_left_half_made(world):
    """A refused plan leaves neither a planned meeting nor a mail in the outbox."""
    pair = world["pair"]
    client_for(pair.adept_user).post(pair_url(pair, "plan"), plan_data(days=-3))
    assert not OutgoingMail.objects.exists()


def test_planned_meetings_read_the_same_in_two_calendar_parsers_across_dst(world):
    """The pair's planned meetings, winter and summer, in the person feed: icalendar and
    vobject read the same local time (the VTIMEZONE states the yearly rule)."""
    from zoneinfo import ZoneInfo

    from tests.calendar_reading import assert_both_read

    pair = world["pair"]
    stockholm = ZoneInfo("Europe/Stockholm")
    today = timezone.localdate()
    expected = {}
    for month in (1, 7):  # the next 15 January (winter time) and 15 July (summer time)
        day = today.replace(year=today.year + 1, month=month, day=15)
        if day - today > timedelta(days=365):
            day = day.replace(year=today.year)
        start = timezone.datetime(day.year, day.month, day.day, 14, 30, tzinfo=stockholm)
        planned = pairwork.plan_meeting(
            tenant=pair.tenant,
            actor=pair.mentor_user,
            pair=pair,
            starts_at=start,
            minutes=60,
            mode="in_person",
        )
        expected[f"pair-meeting-{planned.pk}@{pair.tenant.slug}.mentorprogram"] = start
    assert {s.utcoffset() for s in expected.values()} == {
        timedelta(hours=1),
        timedelta(hours=2),
    }
    feed = programme_services.feed_for(tenant=pair.tenant, user=pair.adept_user)
    feed_url = reverse(
        "programmes:person_feed", kwargs={"tenant": pair.tenant.slug, "token": feed.token}
    )
    assert_both_read(Client().get(feed_url).content, expected)
