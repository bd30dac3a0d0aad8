"""Reminders (issue 6): who gets a mail and who does not, each window once, in the recipient's
language with absolute links, per tenant, moved shared days told once per change, and the
runner: twice is the same as once, a failing reminder does not stop the others, two runners
racing record every mail once.

Every run is given ``now`` explicitly; dates are built from a fixed aware datetime.
"""

import threading
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from io import StringIO

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application
from mentorship import hooks
from organisations import outbox, reminders
from organisations.models import OutgoingMail
from organisations.reminders import run_reminders
from pairs.models import Pair, PairMeeting, PlannedMeeting
from programmes import services as programme_services
from programmes.models import Audience, MeetingResponse, ParticipantRole, Round
from tests.factories.applications import ApplicationFactory, EndorsementFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory, TenantFactory
from tests.factories.programmes import (
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    SharedMeetingFactory,
)
from tests.matching.factories import PairFactory

Stage = Application.Stage
OURS = ["application-deadline", "quiet-pairs", "shared-day"]
SITE = "https://mentor.example.se"

# A Monday morning in May 2030: 11:00 in Stockholm. "May" is "maj" in Swedish, so the month in a
# rendered date tells which language a mail was written in.
NOW = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)
TODAY = date(2030, 5, 6)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def run(now, *names):
    """Run the reminders as if at ``now``: the mails it records are stamped with that time."""
    before = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    counts = run_reminders(now=now, names=list(names) or OURS)
    OutgoingMail.objects.filter(pk__gt=before).update(created_at=now)
    return counts


def mails(purpose=None, **filters):
    qs = OutgoingMail.objects.filter(**filters).order_by("pk")
    if purpose:
        qs = qs.filter(purpose=purpose)
    return list(qs)


def recipients(purpose, **filters):
    return sorted(m.to for m in mails(purpose, **filters))


def by_recipient(purpose):
    found = {}
    for m in mails(purpose):
        assert m.to not in found, f"{m.to} has two {purpose} mails"
        found[m.to] = m
    return found


def all_keys():
    return sorted(OutgoingMail.objects.values_list("tenant_id", "dedupe_key"))


def hr_membership(tenant, organisations, **user):
    return MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=organisations,
        **{f"user__{k}": v for k, v in user.items()},
    ).user


# --- application deadline -----------------------------------------------------------------------


@pytest.fixture
def deadline_world(db, other_tenant):
    """An open round closing six days after NOW, with applications in every stage that matters."""
    tenant = TenantFactory(name="Chefsnätverket Väst")
    org = OrganisationFactory(tenant=tenant, name="Borås stad")
    neighbour = OrganisationFactory(tenant=tenant, name="Ulricehamns kommun")
    quiet_org = OrganisationFactory(tenant=tenant, name="Tranemo kommun")
    round_ = RoundFactory(
        programme__tenant=tenant,
        programme__name="Chefsmentor Väst",
        status=Round.Status.OPEN,
        application_opens_at=NOW - timedelta(days=30),
        application_closes_at=NOW + timedelta(days=6),
    )
    w = type("DeadlineWorld", (), {})()
    w.tenant, w.round, w.org, w.neighbour = tenant, round_, org, neighbour
    w.draft = ApplicationFactory(
        round=round_, stage=Stage.DRAFT, organisation=org, email="utkast@example.se"
    )
    w.draft_en = ApplicationFactory(
        round=round_,
        stage=Stage.DRAFT,
        organisation=org,
        email="draft-en@example.se",
        user__language="en",
    )
    w.submitted = ApplicationFactory(
        round=round_, stage=Stage.SUBMITTED, organisation=org, email="inskickad@example.se"
    )

    def awaiting_endorsement(**endorsement):
        application = ApplicationFactory(
            round=round_, stage=Stage.AWAITING_ENDORSEMENT, organisation=org
        )
        return EndorsementFactory(
            application=application, **{"expires_at": NOW + timedelta(days=14), **endorsement}
        )

    w.pending = awaiting_endorsement(manager_email="chef-vantar@example.se")
    w.decided = awaiting_endorsement(
        manager_email="chef-svarat@example.se", decided_at=NOW - timedelta(days=1), supports=True
    )
    w.expired = awaiting_endorsement(
        manager_email="chef-utgangen@example.se", expires_at=NOW - timedelta(hours=1)
    )
    # A superseded request (the applicant named another manager) and the one that replaced it.
    w.superseded = awaiting_endorsement(
        manager_email="chef-gammal@example.se", superseded_at=NOW - timedelta(days=2)
    )
    w.replacement = EndorsementFactory(
        application=w.superseded.application,
        manager_email="chef-ny@example.se",
        expires_at=NOW + timedelta(days=14),
    )
    # Two waiting for Borås's decision, one for Ulricehamn's, none for Tranemo's.
    for organisation in (org, org, neighbour):
        ApplicationFactory(round=round_, stage=Stage.AWAITING_NOMINATION, organisation=organisation)
    ApplicationFactory(round=round_, stage=Stage.NOMINATED, organisation=quiet_org)
    w.hr = hr_membership(tenant, [org], email="hr-boras@example.se", language="en")
    w.hr_both = hr_membership(tenant, [org, neighbour], email="hr-bada@example.se", language="en")
    w.hr_neighbour = hr_membership(tenant, [neighbour], email="hr-ulricehamn@example.se")
    w.hr_quiet = hr_membership(tenant, [quiet_org], email="hr-tranemo@example.se")
    w.coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    w.other_tenant = other_tenant
    return w


@pytest.mark.django_db
def test_deadline_reminds_drafts_pending_managers_and_hr_contacts_with_waiting_applicants(
    deadline_world,
):
    w = deadline_world
    counts = run(NOW, "application-deadline")
    assert recipients("reminder_deadline_draft") == ["draft-en@example.se", "utkast@example.se"]
    # Decided, expired and superseded requests are not reminded; the replacement is.
    assert recipients("reminder_deadline_endorsement") == [
        "chef-ny@example.se",
        "chef-vantar@example.se",
    ]
    hr = by_recipient("reminder_deadline_hr")
    assert sorted(hr) == ["hr-bada@example.se", "hr-boras@example.se", "hr-ulricehamn@example.se"]
    # The count is of their own organisations' applicants only.
    assert "2 applicants from your organisation" in hr["hr-boras@example.se"].body
    assert "3 applicants from your organisation" in hr["hr-bada@example.se"].body
    # Nobody else: the submitted applicant, the coordinator, Tranemo's HR contact, the other
    # tenant's HR contact.
    assert counts == {"application-deadline": 7}
    assert len(mails()) == 7
    assert all(m.tenant == w.tenant for m in mails())
    everyone = {m.to for m in mails()}
    assert "inskickad@example.se" not in everyone
    assert w.coordinator.email not in everyone and w.hr_quiet.email not in everyone
    foreign_hr = w.other_tenant.memberships.get(is_hr_contact=True).user
    assert foreign_hr.email not in everyone


@pytest.mark.django_db
def test_deadline_windows_are_sent_once_each(deadline_world):
    w = deadline_world
    closes = w.round.application_closes_at
    assert run(closes - timedelta(days=8), "application-deadline") == {"application-deadline": 0}
    assert mails() == []

    assert run(NOW, "application-deadline") == {"application-deadline": 7}  # six days before
    week = all_keys()
    assert all(":7d:" in key for _tenant, key in week)
    assert run(NOW, "application-deadline") == {"application-deadline": 0}
    assert run(NOW + timedelta(days=4), "application-deadline") == {"application-deadline": 0}
    assert all_keys() == week

    assert run(closes - timedelta(hours=12), "application-deadline") == {"application-deadline": 7}
    day = sorted(set(all_keys()) - set(week))
    assert len(day) == 7 and all(":1d:" in key for _tenant, key in day)
    assert run(closes - timedelta(hours=1), "application-deadline") == {"application-deadline": 0}
    # After the deadline: nothing.
    assert run(closes + timedelta(minutes=1), "application-deadline") == {"application-deadline": 0}
    assert len(mails()) == 14


@pytest.mark.django_db
def test_deadline_not_for_a_round_that_is_not_open_nor_an_inactive_tenant(deadline_world):
    w = deadline_world
    Round.objects.filter(pk=w.round.pk).update(status=Round.Status.REVIEW)
    assert run(NOW, "application-deadline") == {"application-deadline": 0}
    Round.objects.filter(pk=w.round.pk).update(status=Round.Status.OPEN)
    w.tenant.is_active = False
    w.tenant.save()
    assert run(NOW, "application-deadline") == {"application-deadline": 0}
    assert mails() == []


@pytest.mark.django_db
def test_deadline_mails_in_the_recipients_language_with_absolute_links(deadline_world):
    w = deadline_world
    run(NOW, "application-deadline")
    drafts = by_recipient("reminder_deadline_draft")
    english, swedish = drafts["draft-en@example.se"], drafts["utkast@example.se"]
    assert english.language == "en" and swedish.language == "sv"
    assert english.subject == "Your application to Chefsmentor Väst is not sent yet"
    assert "12 May 2030" in english.body and "maj" not in english.body
    assert "12 maj 2030" in swedish.body and "May" not in swedish.body
    with translation.override("sv"):
        assert swedish.subject == translation.gettext(
            "Your application to %(p)s is not sent yet"
        ) % {"p": "Chefsmentor Väst"}
    edit = reverse("applications:edit", kwargs={"tenant": w.tenant.slug, "pk": w.draft.pk})
    assert f"{SITE}{edit}\n" in swedish.body

    endorsement = by_recipient("reminder_deadline_endorsement")["chef-vantar@example.se"]
    assert endorsement.language == "sv"  # no account: the tenant's language
    endorse = reverse("applications:endorse", kwargs={"tenant": w.tenant.slug, "key": "K"})
    assert f"{SITE}{endorse.removesuffix('K/')}" in endorsement.body
    assert w.pending.application.full_name in endorsement.subject

    hr = by_recipient("reminder_deadline_hr")["hr-boras@example.se"]
    assert hr.subject == "Applicants to Chefsmentor Väst wait for your decision"
    hr_list = reverse(
        "applications:hr_list", kwargs={"tenant": w.tenant.slug, "round_pk": w.round.pk}
    )
    assert f"{SITE}{hr_list}\n" in hr.body


@pytest.mark.django_db
def test_deadline_is_shown_in_the_tenants_time_zone(deadline_world):
    w = deadline_world
    w.tenant.timezone = "Europe/Helsinki"
    w.tenant.save()
    # 21:00 UTC is 23:00 in Stockholm but already midnight the next day in Helsinki.
    w.round.application_closes_at = datetime(2030, 5, 12, 21, 0, tzinfo=UTC)
    w.round.save()
    run(NOW, "application-deadline")
    body = by_recipient("reminder_deadline_draft")["draft-en@example.se"].body
    assert "13 May 2030 00:00" in body


@pytest.mark.django_db
def test_deadline_mails_name_only_their_own_tenant(deadline_world):
    w = deadline_world
    other = TenantFactory(name="Nätverket Norr")
    other_round = RoundFactory(
        programme=ProgrammeFactory(tenant=other, name="Ledarskap Norr"),
        status=Round.Status.OPEN,
        application_closes_at=NOW + timedelta(days=3),
    )
    ApplicationFactory(round=other_round, stage=Stage.DRAFT, email="norr@example.se")
    run(NOW, "application-deadline")
    [north] = mails(tenant=other)
    assert north.to == "norr@example.se" and "Ledarskap Norr" in north.subject
    for m in mails():
        text = m.subject + m.body
        if m.tenant == other:
            assert "Chefsmentor Väst" not in text and f"/{w.tenant.slug}/" not in text
        else:
            assert "Ledarskap Norr" not in text and f"/{other.slug}/" not in text


# --- shared days --------------------------------------------------------------------------------


@pytest.fixture
def day_world(db):
    """A running round with two mentors and two adepts; a day for everyone on Sunday 12 May and
    a day for mentors only on Monday 13 May (09:00–16:00 in Stockholm)."""
    tenant = TenantFactory(name="Chefsnätverket Öst")
    round_ = RoundFactory(
        programme__tenant=tenant, programme__name="Mentorår Öst", status=Round.Status.RUNNING
    )
    w = type("DayWorld", (), {})()
    w.tenant, w.round = tenant, round_
    w.mentor_en = ParticipantFactory(
        round=round_,
        role=ParticipantRole.MENTOR,
        user__email="mentor-en@example.se",
        user__language="en",
    )
    w.mentor = ParticipantFactory(
        round=round_, role=ParticipantRole.MENTOR, user__email="mentor@example.se"
    )
    w.adept = ParticipantFactory(
        round=round_, role=ParticipantRole.ADEPT, user__email="adept@example.se"
    )
    w.adept_declined = ParticipantFactory(
        round=round_, role=ParticipantRole.ADEPT, user__email="adept-nej@example.se"
    )
    # Someone in another round of the same tenant is not in this day's audience.
    ParticipantFactory(
        round=RoundFactory(programme=round_.programme, status=Round.Status.RUNNING),
        role=ParticipantRole.ADEPT,
        user__email="annan-omgang@example.se",
    )
    w.day = SharedMeetingFactory(
        round=round_, title="Vårträffen", date=date(2030, 5, 12), audience=Audience.EVERYONE
    )
    w.mentors_day = SharedMeetingFactory(
        round=round_, title="Mentorsträffen", date=date(2030, 5, 13), audience=Audience.MENTORS
    )
    MeetingResponse.objects.create(
        tenant=tenant, meeting=w.day, participant=w.adept_declined, attending=False
    )
    MeetingResponse.objects.create(
        tenant=tenant, meeting=w.day, participant=w.adept, attending=True
    )
    MeetingResponse.objects.create(
        tenant=tenant, meeting=w.mentors_day, participant=w.mentor, attending=None
    )
    w.coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    return w


def day_mails(meeting):
    return sorted(
        (m.to, m.dedupe_key.split(":")[3])
        for m in mails("reminder_shared_day")
        if m.dedupe_key.startswith(f"shared-day:{meeting.pk}:")
    )


# Sunday 12 May 09:00 in Stockholm is 07:00 UTC.
DAY_STARTS = datetime(2030, 5, 12, 7, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_shared_day_reminds_its_audience_but_not_who_declined(day_world):
    w = day_world
    assert run(NOW, "shared-day") == {"shared-day": 5}
    # Everyone's day: both mentors and the adept who said yes; not the one who said no.
    assert day_mails(w.day) == [
        ("adept@example.se", "7d"),
        ("mentor-en@example.se", "7d"),
        ("mentor@example.se", "7d"),
    ]
    everyone = {m.to for m in mails()}
    assert "adept-nej@example.se" not in everyone
    assert "annan-omgang@example.se" not in everyone
    assert w.coordinator.email not in everyone


@pytest.mark.django_db
def test_a_mentors_only_day_leaves_out_the_adepts(day_world):
    w = day_world
    run(NOW, "shared-day")
    assert day_mails(w.mentors_day) == [
        ("mentor-en@example.se", "7d"),
        ("mentor@example.se", "7d"),
    ]


@pytest.mark.django_db
def test_shared_day_windows_are_sent_once_each(day_world):
    w = day_world
    # Eight days before: outside the windows.
    assert run(DAY_STARTS - timedelta(days=8), "shared-day") == {"shared-day": 0}
    assert run(NOW, "shared-day") == {"shared-day": 5}  # six days before (and seven)
    assert run(NOW, "shared-day") == {"shared-day": 0}
    assert run(NOW + timedelta(days=2), "shared-day") == {"shared-day": 0}
    assert len(mails()) == 5
    # Twelve hours before (21:00 the evening before): the day's "1d" mail; the mentors' day is
    # still two days off and already reminded for its week.
    assert run(DAY_STARTS - timedelta(hours=12), "shared-day") == {"shared-day": 3}
    assert day_mails(w.day) == [
        ("adept@example.se", "1d"),
        ("adept@example.se", "7d"),
        ("mentor-en@example.se", "1d"),
        ("mentor-en@example.se", "7d"),
        ("mentor@example.se", "1d"),
        ("mentor@example.se", "7d"),
    ]
    # The morning of the day, before it starts: already reminded; the mentors' day is tomorrow.
    assert run(DAY_STARTS - timedelta(hours=2), "shared-day") == {"shared-day": 2}
    assert day_mails(w.mentors_day) == [
        ("mentor-en@example.se", "1d"),
        ("mentor-en@example.se", "7d"),
        ("mentor@example.se", "1d"),
        ("mentor@example.se", "7d"),
    ]
    assert len(day_mails(w.day)) == 6
    assert run(DAY_STARTS + timedelta(hours=1), "shared-day") == {"shared-day": 0}
    assert len(mails()) == 10


@pytest.mark.django_db
def test_a_day_that_has_started_is_not_reminded(day_world):
    w = day_world
    assert run(DAY_STARTS + timedelta(minutes=1), "shared-day") == {"shared-day": 2}
    # Only the mentors' day (tomorrow) is reminded.
    assert day_mails(w.day) == []
    assert day_mails(w.mentors_day) == [
        ("mentor-en@example.se", "1d"),
        ("mentor@example.se", "1d"),
    ]


@pytest.mark.django_db
def test_no_shared_day_reminders_for_a_closed_round_or_an_inactive_tenant(day_world):
    w = day_world
    Round.objects.filter(pk=w.round.pk).update(status=Round.Status.CLOSED)
    assert run(NOW, "shared-day") == {"shared-day": 0}
    Round.objects.filter(pk=w.round.pk).update(status=Round.Status.RUNNING)
    w.tenant.is_active = False
    w.tenant.save()
    assert run(NOW, "shared-day") == {"shared-day": 0}
    assert mails() == []


@pytest.mark.django_db
def test_shared_day_mails_name_only_their_own_tenant(day_world):
    w = day_world
    other = TenantFactory(name="Nätverket Norr")
    north = RoundFactory(
        programme=ProgrammeFactory(tenant=other, name="Ledarskap Norr"),
        status=Round.Status.RUNNING,
    )
    ParticipantFactory(round=north, role=ParticipantRole.MENTOR, user__email="norr@example.se")
    SharedMeetingFactory(round=north, title="Norrträffen", date=date(2030, 5, 12))
    run(NOW, "shared-day")
    [foreign] = mails(tenant=other)
    assert foreign.to == "norr@example.se" and "Norrträffen" in foreign.subject
    assert "Vårträffen" not in foreign.body and f"/{w.tenant.slug}/" not in foreign.body
    for m in mails(tenant=w.tenant):
        assert "Norrträffen" not in m.subject + m.body and "Ledarskap Norr" not in m.body
        assert f"/{other.slug}/" not in m.body
    assert len(mails(tenant=w.tenant)) == 5


@pytest.mark.django_db
def test_shared_day_mail_in_the_recipients_language_with_an_absolute_link(day_world):
    w = day_world
    run(NOW, "shared-day")
    day = {m.to: m for m in mails() if m.dedupe_key.startswith(f"shared-day:{w.day.pk}:")}
    english, swedish = day["mentor-en@example.se"], day["mentor@example.se"]
    assert (english.language, swedish.language) == ("en", "sv")
    assert english.subject == "Reminder: Vårträffen on 12 May"
    assert "12 maj" in swedish.subject and "May" not in swedish.subject
    assert "Sunday 12 May 2030, 09:00–16:00" in english.body
    assert "söndag 12 maj 2030, 09:00–16:00" in swedish.body
    assert "Stadshuset, Storgatan 1" in swedish.body
    home = reverse("programmes:participant_home", kwargs={"tenant": w.tenant.slug})
    assert f"{SITE}{home}\n" in english.body and f"{SITE}{home}\n" in swedish.body


@pytest.mark.django_db
def test_a_moved_day_is_reminded_again_for_its_new_date(day_world):
    w = day_world
    run(NOW, "shared-day")
    assert len(day_mails(w.day)) == 3
    w.day.date = date(2030, 5, 10)
    w.day.save()
    assert run(NOW, "shared-day") == {"shared-day": 3}
    keys = [m.dedupe_key for m in mails() if m.dedupe_key.startswith(f"shared-day:{w.day.pk}:")]
    assert sum(":2030-05-10:" in k for k in keys) == 3
    assert sum(":2030-05-12:" in k for k in keys) == 3


# --- a shared day moved -------------------------------------------------------------------------


def save_day(w, **changes):
    meeting = type(w.day).objects.get(pk=w.day.pk)
    for field, value in changes.items():
        setattr(meeting, field, value)
    return programme_services.save_meeting(tenant=w.tenant, actor=w.coordinator, meeting=meeting)


@pytest.mark.django_db
def test_moving_a_day_tells_its_audience_once_per_change(day_world):
    w = day_world
    save_day(w, date=date(2030, 5, 14))
    moved = by_recipient("shared_day_changed")
    assert sorted(moved) == ["adept@example.se", "mentor-en@example.se", "mentor@example.se"]
    english = moved["mentor-en@example.se"]
    assert english.subject == "Changed: Vårträffen"
    assert "Tuesday 14 May 2030, 09:00–16:00" in english.body
    assert "tisdag 14 maj 2030" in moved["mentor@example.se"].body
    home = reverse("programmes:participant_home", kwargs={"tenant": w.tenant.slug})
    assert f"{SITE}{home}\n" in english.body

    # Saving the same change again tells nobody anything new.
    save_day(w, date=date(2030, 5, 14))
    save_day(w, date=date(2030, 5, 14), title="Vårträffen")
    assert len(mails("shared_day_changed")) == 3

    # A second real change (the times) is told once more, with the new times.
    save_day(w, starts_at=clock(10, 0), ends_at=clock(15, 0))
    save_day(w, starts_at=clock(10, 0), ends_at=clock(15, 0))
    changed = mails("shared_day_changed")
    assert len(changed) == 6
    latest = [m for m in changed if m.to == "mentor-en@example.se"][-1]
    assert "10:00–15:00" in latest.body
    # Nobody outside the audience, nobody who declined.
    assert not {m.to for m in changed} & {"adept-nej@example.se", "annan-omgang@example.se"}


@pytest.mark.django_db
def test_a_change_that_does_not_move_the_day_tells_nobody(day_world):
    w = day_world
    save_day(w, title="Vårträffen i Norrköping", agenda="Fika först.")
    assert mails("shared_day_changed") == []


@pytest.mark.django_db
def test_a_past_day_or_a_closed_round_tells_nobody(day_world):
    w = day_world
    past = SharedMeetingFactory(
        round=w.round, title="Förra träffen", date=timezone.localdate() - timedelta(days=3)
    )
    meeting = type(past).objects.get(pk=past.pk)
    meeting.ends_at = clock(15, 0)
    programme_services.save_meeting(tenant=w.tenant, actor=w.coordinator, meeting=meeting)
    assert mails("shared_day_changed") == []
    Round.objects.filter(pk=w.round.pk).update(status=Round.Status.CLOSED)
    w.round.refresh_from_db()
    save_day(w, place="Rådhuset")
    assert mails("shared_day_changed") == []


# --- quiet pairs --------------------------------------------------------------------------------


@pytest.fixture
def pair_world(db, other_tenant):
    """A running round reminding after 3 weeks. Dates are relative to NOW."""
    tenant = TenantFactory(name="Chefsnätverket Syd")
    round_ = RoundFactory(
        programme__tenant=tenant,
        programme__name="Mentorår Syd",
        status=Round.Status.RUNNING,
        quiet_pair_weeks=3,
        starts_on=TODAY - timedelta(days=120),
        ends_on=TODAY + timedelta(days=240),
    )
    w = type("PairWorld", (), {})()
    w.tenant, w.round, w.other_tenant = tenant, round_, other_tenant

    def pair(name, *, days_ago=60, **kwargs):
        return PairFactory(
            round=round_,
            started_at=NOW - timedelta(days=days_ago),
            mentor__user__email=f"{name}-mentor@example.se",
            adept__user__email=f"{name}-adept@example.se",
            **kwargs,
        )

    # Started 30 days ago and never met: quiet (3 weeks), not yet for the coordinator (5 weeks).
    w.quiet = pair("tyst", days_ago=30, mentor__user__language="en")
    # Met 25 days ago: quiet since then.
    w.met_long_ago = pair("lange")
    PairMeeting.objects.create(
        tenant=tenant, pair=w.met_long_ago, date=TODAY - timedelta(days=25), minutes=60
    )
    # Met ten days ago: fine.
    w.met_recently = pair("nyss")
    PairMeeting.objects.create(
        tenant=tenant, pair=w.met_recently, date=TODAY - timedelta(days=10), minutes=60
    )
    # Nothing logged, but a meeting planned ahead: fine.
    w.planned = pair("planerad")
    w.planned_meeting = PlannedMeeting.objects.create(
        tenant=tenant, pair=w.planned, starts_at=NOW + timedelta(days=30), minutes=60
    )
    # A planned meeting that was cancelled, or has passed, does not count.
    w.cancelled = pair("installd", days_ago=25)
    PlannedMeeting.objects.create(
        tenant=tenant,
        pair=w.cancelled,
        starts_at=NOW + timedelta(days=3),
        minutes=60,
        cancelled_at=NOW - timedelta(days=1),
    )
    PlannedMeeting.objects.create(
        tenant=tenant, pair=w.cancelled, starts_at=NOW - timedelta(days=1), minutes=60
    )
    # Ended pairs are left alone.
    w.ended = pair("slut", status=Pair.Status.ENDED, ended_at=NOW - timedelta(days=40))
    # Started a week ago.
    w.new = pair("ny", days_ago=7)
    w.coordinators = [
        MembershipFactory(
            tenant=tenant, is_coordinator=True, user__email=f"samordnare{i}@x.se"
        ).user
        for i in (1, 2)
    ]
    w.coordinators[0].language = "en"
    w.coordinators[0].save()
    w.hr = hr_membership(tenant, [w.quiet.adept.organisation], email="hr-syd@example.se")
    return w


QUIET_REMINDED = sorted(
    f"{name}-{role}@example.se"
    for name in ("tyst", "lange", "installd")
    for role in ("mentor", "adept")
)


@pytest.mark.django_db
def test_quiet_pairs_both_partners_once_per_silence(pair_world):
    w = pair_world
    assert run(NOW, "quiet-pairs") == {"quiet-pairs": 6}
    assert recipients("reminder_quiet_pair") == QUIET_REMINDED
    # Not yet the coordinators: the longest silence is 30 days, 3 weeks + 2 is 35.
    assert mails("reminder_quiet_pair_coordinator") == []
    keys = {m.to: m.dedupe_key for m in mails()}
    since = (TODAY - timedelta(days=25)).isoformat()
    assert keys["lange-mentor@example.se"] == (
        f"quiet:{w.met_long_ago.pk}:{since}:{w.met_long_ago.mentor_user_id}"
    )
    assert run(NOW, "quiet-pairs") == {"quiet-pairs": 0}
    assert run(NOW + timedelta(days=3), "quiet-pairs") == {"quiet-pairs": 0}
    assert len(mails()) == 6


@pytest.mark.django_db
def test_quiet_pair_coordinators_are_told_two_weeks_later(pair_world):
    w = pair_world
    # The quiet pair (started 30 days before NOW) reaches three weeks nine days before NOW.
    assert run(NOW - timedelta(days=9), "quiet-pairs") == {"quiet-pairs": 2}
    assert recipients("reminder_quiet_pair") == ["tyst-adept@example.se", "tyst-mentor@example.se"]
    assert run(NOW, "quiet-pairs") == {"quiet-pairs": 4}  # the two pairs at 25 days
    assert run(NOW + timedelta(days=4), "quiet-pairs") == {"quiet-pairs": 0}  # 13 days on
    # Two weeks after their reminder (3 + 2 weeks quiet): each coordinator, once.
    assert run(NOW + timedelta(days=5), "quiet-pairs") == {"quiet-pairs": 2}
    told = by_recipient("reminder_quiet_pair_coordinator")
    assert sorted(told) == ["samordnare1@x.se", "samordnare2@x.se"]
    assert all(m.dedupe_key.startswith(f"quiet-coordinator:{w.quiet.pk}:") for m in told.values())
    english = told["samordnare1@x.se"]
    assert english.language == "en" and told["samordnare2@x.se"].language == "sv"
    assert english.subject == f"A pair in {w.round.name} has gone quiet"
    assert w.quiet.mentor.full_name in english.body and w.quiet.adept.full_name in english.body
    assert "since 6 April 2030 (5 weeks)" in english.body
    pairs = reverse("matching:pairs", kwargs={"tenant": w.tenant.slug, "round_pk": w.round.pk})
    assert f"{SITE}{pairs}\n" in english.body
    # Not the HR contact, not the other tenant's coordinator.
    assert "hr-syd@example.se" not in {m.to for m in mails()}
    foreign = w.other_tenant.memberships.get(is_coordinator=True).user
    assert foreign.email not in {m.to for m in mails()}
    # The partners are not reminded a second time for the same silence.
    assert recipients("reminder_quiet_pair") == QUIET_REMINDED
    assert run(NOW + timedelta(days=6), "quiet-pairs") == {"quiet-pairs": 0}
    # The other two pairs were reminded at NOW: their coordinators' mails two weeks later.
    run(NOW + timedelta(days=13), "quiet-pairs")
    assert len(mails("reminder_quiet_pair_coordinator")) == 2
    run(NOW + timedelta(days=14), "quiet-pairs")
    assert len(mails("reminder_quiet_pair_coordinator")) == 6


@pytest.mark.django_db
def test_a_long_silence_noticed_late_tells_the_coordinators_two_weeks_after_the_partners(
    pair_world,
):
    """The pair planned a meeting, so nobody was reminded; it passed and was never logged. The
    silence (from the start, 90 days) is long, but the coordinators' mail says "both were
    reminded two weeks ago": it waits for that to be true."""
    w = pair_world
    after = w.planned_meeting.starts_at + timedelta(hours=1)
    run(after, "quiet-pairs")
    planned = [m for m in mails() if m.dedupe_key.startswith(f"quiet:{w.planned.pk}:")]
    assert sorted(m.to for m in planned) == [
        "planerad-adept@example.se",
        "planerad-mentor@example.se",
    ]
    coordinator_keys = f"quiet-coordinator:{w.planned.pk}:"
    assert not [m for m in mails() if m.dedupe_key.startswith(coordinator_keys)]
    run(after + timedelta(minutes=15), "quiet-pairs")
    run(after + timedelta(days=13), "quiet-pairs")
    assert not [m for m in mails() if m.dedupe_key.startswith(coordinator_keys)]
    run(after + timedelta(days=14), "quiet-pairs")
    told = [m for m in mails() if m.dedupe_key.startswith(coordinator_keys)]
    assert sorted(m.to for m in told) == ["samordnare1@x.se", "samordnare2@x.se"]


@pytest.mark.django_db
def test_a_pair_that_meets_and_goes_quiet_again_is_reminded_again(pair_world):
    w = pair_world
    run(NOW, "quiet-pairs")
    met = TODAY + timedelta(days=2)
    PairMeeting.objects.create(tenant=w.tenant, pair=w.quiet, date=met, minutes=60)
    assert run(NOW + timedelta(days=5), "quiet-pairs") == {"quiet-pairs": 0}  # no coordinator
    assert run(NOW + timedelta(days=2 + 21), "quiet-pairs")["quiet-pairs"] >= 2
    again = [m for m in mails("reminder_quiet_pair") if f":{met.isoformat()}:" in m.dedupe_key]
    assert sorted(m.to for m in again) == ["tyst-adept@example.se", "tyst-mentor@example.se"]


@pytest.mark.django_db
def test_a_quiet_pair_that_asked_to_end_is_not_reminded_of_meeting(pair_world):
    """One of them asked to end: the coordinators have a request to end to answer; telling
    the pair to plan their next meeting would be the wrong mail."""
    w = pair_world
    Pair.objects.filter(pk=w.quiet.pk).update(
        end_requested_at=NOW - timedelta(days=2),
        end_requested_by=w.quiet.adept_user,
        end_request_reason="Vi är överens om att avsluta.",
    )
    assert run(NOW, "quiet-pairs") == {"quiet-pairs": 4}
    assert not any(address.startswith("tyst-") for address in recipients("reminder_quiet_pair"))


@pytest.mark.django_db
def test_quiet_pairs_off_when_the_round_says_zero_weeks(pair_world):
    w = pair_world
    Round.objects.filter(pk=w.round.pk).update(quiet_pair_weeks=0)
    assert run(NOW + timedelta(days=100), "quiet-pairs") == {"quiet-pairs": 0}
    assert mails() == []


@pytest.mark.django_db
def test_no_quiet_pair_reminders_once_the_round_is_over_or_the_tenant_inactive(pair_world):
    w = pair_world
    Round.objects.filter(pk=w.round.pk).update(status=Round.Status.CLOSED)
    assert run(NOW, "quiet-pairs") == {"quiet-pairs": 0}
    # Still "running" but past its last day.
    Round.objects.filter(pk=w.round.pk).update(
        status=Round.Status.RUNNING, ends_on=TODAY - timedelta(days=1)
    )
    assert run(NOW, "quiet-pairs") == {"quiet-pairs": 0}
    Round.objects.filter(pk=w.round.pk).update(ends_on=TODAY + timedelta(days=30))
    w.tenant.is_active = False
    w.tenant.save()
    assert run(NOW, "quiet-pairs") == {"quiet-pairs": 0}
    assert mails() == []


@pytest.mark.django_db
def test_quiet_pair_mail_in_the_recipients_language_with_the_pair_link(pair_world):
    w = pair_world
    run(NOW, "quiet-pairs")
    got = by_recipient("reminder_quiet_pair")
    english, swedish = got["tyst-mentor@example.se"], got["tyst-adept@example.se"]
    assert (english.language, swedish.language) == ("en", "sv")
    assert english.subject == f"Time to meet {w.quiet.adept_user.get_full_name()} again?"
    assert w.quiet.mentor_user.get_full_name() in swedish.subject
    assert "since 6 April 2030" in english.body
    assert "6 april 2030" in swedish.body and "April" not in swedish.body
    page = reverse("matching_pairwork:pair", kwargs={"tenant": w.tenant.slug, "pk": w.quiet.pk})
    assert f"{SITE}{page}\n" in english.body and f"{SITE}{page}\n" in swedish.body


@pytest.mark.django_db
def test_quiet_pair_mails_name_only_their_own_tenant(pair_world):
    w = pair_world
    north = RoundFactory(
        programme=ProgrammeFactory(tenant=w.other_tenant, name="Ledarskap Norr"),
        status=Round.Status.RUNNING,
        quiet_pair_weeks=2,
        starts_on=TODAY - timedelta(days=60),
        ends_on=TODAY + timedelta(days=300),
    )
    foreign_pair = PairFactory(
        round=north,
        started_at=NOW - timedelta(days=40),
        mentor__user__full_name="Frida Främling",
    )
    for days in (-10, 0, 14):
        run(NOW + timedelta(days=days), "quiet-pairs")
    for m in mails():
        text = m.subject + m.body
        if m.tenant == w.other_tenant:
            assert f"/{w.tenant.slug}/" not in text and "Mentorår Syd" not in text
        else:
            assert m.tenant == w.tenant
            assert f"/{w.other_tenant.slug}/" not in text and "Ledarskap Norr" not in text
            assert foreign_pair.mentor.full_name not in text
    foreign_coordinators = set(
        w.other_tenant.memberships.filter(is_coordinator=True).values_list("user__email", flat=True)
    )
    told = {m.to for m in mails("reminder_quiet_pair_coordinator", tenant=w.other_tenant)}
    assert told == foreign_coordinators
    assert all(
        "Frida Främling" in m.body
        for m in mails("reminder_quiet_pair_coordinator", tenant=w.other_tenant)
    )
    ours = {m.to for m in mails("reminder_quiet_pair_coordinator", tenant=w.tenant)}
    assert ours == {"samordnare1@x.se", "samordnare2@x.se"}


# --- the runner ---------------------------------------------------------------------------------


@pytest.fixture
def everything_due(deadline_world, day_world, pair_world):
    return 7 + 5 + 6


@pytest.mark.django_db
def test_run_reminders_twice_records_the_same_mails(everything_due):
    first = run_reminders(now=NOW)
    rows = all_keys()
    assert {k: first[k] for k in OURS} == {
        "application-deadline": 7,
        "quiet-pairs": 6,
        "shared-day": 5,
    }
    assert len(rows) == everything_due
    second = run_reminders(now=NOW)
    assert {k: second[k] for k in OURS} == dict.fromkeys(OURS, 0)
    assert all_keys() == rows


@pytest.mark.django_db
def test_every_reminder_is_registered_and_beat_runs_them_every_15_minutes(settings):
    assert set(OURS) <= set(hooks.REMINDERS)
    assert settings.CELERY_BEAT_SCHEDULE["send-reminders"] == {
        "task": "organisations.tasks.send_reminders",
        "schedule": 15 * 60,
    }


@pytest.mark.django_db
def broken_reminder(now):
    raise RuntimeError("the reminder broke")


def with_broken_reminder_first(monkeypatch):
    """A reminder that fails, listed first in the hook point, so the others run after it."""
    monkeypatch.setattr(
        hooks.REMINDERS,
        "implementations",
        (("a-broken", f"{__name__}.broken_reminder"), *hooks.REMINDERS.implementations),
    )


def test_one_failing_reminder_does_not_stop_the_others(everything_due, monkeypatch, caplog):
    with_broken_reminder_first(monkeypatch)
    counts = run_reminders(now=NOW, names=["a-broken", *OURS])
    assert counts == {
        "a-broken": None,
        "application-deadline": 7,
        "quiet-pairs": 6,
        "shared-day": 5,
    }
    assert len(mails()) == everything_due
    assert "reminder a-broken failed" in caplog.text


@pytest.mark.django_db
def test_a_reminder_failing_halfway_keeps_what_it_queued_and_finishes_next_time(
    deadline_world, monkeypatch
):
    real = reminders.queue_once
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["dedupe_key"])
        if len(calls) == 3:
            raise ConnectionError("template store unavailable")
        return real(**kwargs)

    monkeypatch.setattr(reminders, "queue_once", flaky)
    assert run(NOW, "application-deadline") == {"application-deadline": None}
    assert len(mails()) == 2
    monkeypatch.setattr(reminders, "queue_once", real)
    assert run(NOW, "application-deadline") == {"application-deadline": 5}
    assert len(mails()) == 7


@pytest.mark.django_db
def test_reminders_are_delivered_once_through_the_outbox(
    deadline_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(NOW, "application-deadline")
    with django_capture_on_commit_callbacks(execute=True):
        run(NOW, "application-deadline")
    assert len(django_mail.outbox) == 7
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(m.to for m in mails())
    assert all(m.status == OutgoingMail.Status.SENT for m in mails())


@pytest.mark.django_db
def test_the_command_prints_the_counts(monkeypatch):
    tenant = TenantFactory()
    round_ = RoundFactory(
        programme__tenant=tenant,
        status=Round.Status.OPEN,
        application_closes_at=timezone.now() + timedelta(days=3),
    )
    ApplicationFactory(round=round_, stage=Stage.DRAFT)
    ApplicationFactory(round=round_, stage=Stage.DRAFT)

    out = StringIO()
    call_command("send_reminders", *OURS, stdout=out)
    assert out.getvalue().splitlines() == [
        "application-deadline: 2",
        "quiet-pairs: 0",
        "shared-day: 0",
    ]
    out = StringIO()
    call_command("send_reminders", "application-deadline", stdout=out)
    assert out.getvalue() == "application-deadline: 0\n"

    with_broken_reminder_first(monkeypatch)
    out = StringIO()
    call_command("send_reminders", "a-broken", "application-deadline", stdout=out)
    assert out.getvalue().splitlines() == ["a-broken: failed", "application-deadline: 0"]
    # With no names, every registered reminder is run and reported.
    out = StringIO()
    call_command("send_reminders", stdout=out)
    reported = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert reported == list(hooks.REMINDERS)
    assert reported[0] == "a-broken" and set(OURS) < set(reported)


# --- two runners racing -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_record_and_send_each_mail_once(
    deadline_world, day_world, pair_world, monkeypatch
):
    """Two workers run the reminders at the same moment. Rendering is slowed a little so both
    pass the cheap "already recorded?" check for the same mail and race to insert it."""
    expected = 7 + 5 + 6
    real_render = outbox.render_mail
    renders = []

    def slow_render(**kwargs):
        renders.append(1)
        time.sleep(0.03)
        return real_render(**kwargs)

    monkeypatch.setattr(outbox, "render_mail", slow_render)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def runner():
        try:
            barrier.wait(10)
            results.append(run_reminders(now=NOW, names=OURS))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and len(results) == 2
    assert all(None not in counts.values() for counts in results), results
    assert len(renders) > expected, "the two runners never raced for the same mail"

    keys = all_keys()
    assert len(keys) == len(set(keys)) == expected
    # Each mail was counted by exactly one runner.
    assert sum(sum(counts.values()) for counts in results) == expected
    # And sent once (eager tasks after each commit, to the locmem outbox).
    assert len(django_mail.outbox) == expected
    sent = sorted((m.to[0], m.subject) for m in django_mail.outbox)
    assert len(set(sent)) == expected
    assert OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).count() == 0
