"""``seed_demo``'s pair activity (demo/activity.py): agreements, logged meetings with a
few private notes, checklist answers, planned meetings and answers to the shared days, relative
to now and within the rules the pair page's services keep; a quiet pair and an end request for
the coordinators to see; the closed rounds' pairs ended; a second run changes nothing."""

from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from pairs.models import (
    Checklist,
    ChecklistItemAnswer,
    Pair,
    PairAgreement,
    PairMeeting,
    PlannedMeeting,
    PrivateNote,
)
from programmes.models import MeetingResponse, Participant, Round, SharedMeeting
from tests.demo_seed import snapshot

pytestmark = pytest.mark.django_db

WITH_PAIRS = ["storvik", "kvarnadalen", "kommundirektorer", "sjukhusgruppen"]
# Where the stories put a quiet pair and a participant's request to end (by the adept's name).
QUIET = {"kommundirektorer": ["Daniel Ekström"]}
END_REQUESTED = {"sjukhusgruppen": ["Josefin Ahl"]}


def run_seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def activity_rows():
    """Every row the activity writes, with the fields that would change if it were written
    again (ids, times, texts)."""
    return {
        "agreements": sorted(
            PairAgreement.objects.values_list(
                "id",
                "pair_id",
                "version",
                "drafted_by_id",
                "updated_at",
                "mentor_confirmed_at",
                "adept_confirmed_at",
                "how_often",
            )
        ),
        "meetings": sorted(
            PairMeeting.objects.values_list(
                "id", "pair_id", "date", "minutes", "mode", "place", "logged_by_id", "created_at"
            )
        ),
        "notes": sorted(
            PrivateNote.objects.values_list("id", "meeting_id", "author_id", "text", "created_at")
        ),
        "checklists": sorted(
            ChecklistItemAnswer.objects.values_list(
                "id", "pair_id", "user_id", "item_id", "done", "text", "updated_at"
            )
        ),
        "planned": sorted(
            PlannedMeeting.objects.values_list(
                "id", "pair_id", "starts_at", "minutes", "mode", "place", "created_by_id"
            )
        ),
        "responses": sorted(
            MeetingResponse.objects.values_list(
                "id",
                "meeting_id",
                "participant_id",
                "attending",
                "dietary_needs",
                "answered_at",
                "attended",
            )
        ),
        "end_requests": sorted(
            Pair.objects.values_list(
                "id", "end_requested_at", "end_requested_by_id", "end_request_reason"
            )
        ),
    }


snapshot("matching_activity")(activity_rows)


@pytest.fixture
def seeded(demo_seed):
    return {
        "first": demo_seed.first,
        "second": demo_seed.second,
        "after_first": demo_seed.after_first["matching_activity"],
    }


def today():
    return timezone.localtime(timezone.now(), ZoneInfo("Europe/Stockholm")).date()


def pairs_of(slug):
    """The tenant's pairs, the ended pairs of its closed rounds too."""
    return list(
        Pair.objects.filter(tenant__slug=slug)
        .select_related("round", "mentor", "adept", "mentor_user", "adept_user", "tenant")
        .order_by("id")
    )


def start_of(pair):
    return timezone.localtime(pair.started_at, ZoneInfo(pair.tenant.timezone)).date()


def test_a_second_run_changes_nothing(seeded):
    after_second = activity_rows()
    for name, rows in seeded["after_first"].items():
        assert len(after_second[name]) == len(rows), name
        assert after_second[name] == rows, name
    assert seeded["first"] == seeded["second"]
    # There was something to keep unchanged.
    assert all(seeded["after_first"][name] for name in ("agreements", "meetings", "planned"))


def test_every_tenant_with_pairs_shows_activity_and_the_network_none(seeded):
    soon = timezone.now() + timedelta(weeks=7)
    for slug in WITH_PAIRS + ["vastnatet"]:
        pairs = Pair.objects.filter(tenant__slug=slug)
        assert pairs.exists(), slug
        assert PairAgreement.objects.filter(pair__in=pairs).exists(), slug
        assert PairMeeting.objects.filter(pair__in=pairs).exists(), slug
        assert ChecklistItemAnswer.objects.filter(pair__in=pairs).exists(), slug
        planned = PlannedMeeting.objects.filter(pair__in=pairs, cancelled_at__isnull=True)
        if slug in ("kvarnadalen", "vastnatet"):
            # Only closed rounds: their pairs have ended, nothing is planned any more.
            assert not planned.filter(starts_at__gt=timezone.now()).exists(), slug
            continue
        assert PrivateNote.objects.filter(meeting__pair__in=pairs).exists(), slug
        assert planned.filter(starts_at__gt=timezone.now(), starts_at__lt=soon).exists(), slug
    # Seed 000 (issue 13): round 15 is open and unmatched; the closed round 14 has its year.
    round_14 = Round.objects.get(tenant__slug="vastnatet", name="Omgång 14")
    assert not Pair.objects.filter(tenant__slug="vastnatet").exclude(round=round_14).exists()
    assert MeetingResponse.objects.filter(meeting__round=round_14).exists()


def test_the_hospital_uses_the_routine_and_the_association_its_relationship_checklist(seeded):
    def templates(slug):
        return set(
            Checklist.objects.filter(programme__tenant__slug=slug, round=None).values_list(
                "template_key", flat=True
            )
        )

    assert templates("sjukhusgruppen") == {"first", "third", "last"}
    assert templates("kommundirektorer") == {"relationship"}
    association = pairs_of("kommundirektorer")
    ticked = ChecklistItemAnswer.objects.filter(pair__in=association, done=True)
    assert ticked.filter(item__template_key="first_contact").exists()
    assert not ChecklistItemAnswer.objects.filter(
        pair__in=association, item__checklist__template_key="first"
    ).exists()
    # Seed 004's "Mötesstruktur – samarbetskontrakt" is an item of the first checklist.
    firsts = Checklist.objects.filter(
        round__tenant__slug="sjukhusgruppen", round__isnull=False, template_key="first"
    )
    assert firsts.exists()
    for first in firsts:
        assert first.items.filter(template_key="meeting_structure", kind="tick").exists()


def test_running_rounds_pairs_are_at_different_stages(seeded):
    storvik = {p.adept.full_name: p for p in pairs_of("storvik")}
    assert storvik["Samir Haddad"].round.status == Round.Status.RUNNING
    # Four weeks in: two pairs have met once, the third has its first meeting planned.
    counts = {name: PairMeeting.objects.filter(pair=p).count() for name, p in storvik.items()}
    assert counts == {"Jonas Lindahl": 0, "Elin Grahn": 1, "Samir Haddad": 1}
    jonas = storvik["Jonas Lindahl"]
    assert not PairAgreement.objects.filter(pair=jonas).exists()
    assert PlannedMeeting.objects.filter(pair=jonas, starts_at__gt=timezone.now()).exists()
    # The first storvik pair is the one tests/e2e/test_pairwork.py takes through its first
    # meeting: it must not have met yet.
    assert pairs_of("storvik")[0] == jonas
    # The hospital's monthly pair has had its third meeting and answered that checklist.
    hospital = {p.adept.full_name: p for p in pairs_of("sjukhusgruppen")}
    david = hospital["David Mattsson"]
    assert PairMeeting.objects.filter(pair=david).count() >= 3
    assert ChecklistItemAnswer.objects.filter(
        pair=david, item__checklist__template_key="third", user=david.adept_user
    ).exists()


def test_most_agreements_are_confirmed_by_both_and_one_awaits_the_partner(seeded):
    agreements = list(
        PairAgreement.objects.select_related("pair", "pair__tenant", "pair__adept")
        .filter(pair__tenant__slug__in=WITH_PAIRS)
        .order_by("id")
    )
    awaiting = [a for a in agreements if not a.confirmed_by_both]
    assert len(agreements) >= 15
    assert len(awaiting) == 1
    (draft,) = awaiting
    assert draft.pair.tenant.slug == "storvik"
    # Drafted by the adept, which is the adept's confirmation; the mentor has not confirmed.
    assert draft.drafted_by_id == draft.pair.adept_user_id
    assert draft.adept_confirmed_at is not None and draft.mentor_confirmed_at is None
    now = timezone.now()
    for agreement in agreements:
        pair = agreement.pair
        assert agreement.tenant_id == pair.tenant_id
        assert agreement.drafted_by_id in (pair.mentor_user_id, pair.adept_user_id)
        assert agreement.how_often and agreement.confidentiality
        for confirmed in (agreement.mentor_confirmed_at, agreement.adept_confirmed_at):
            assert confirmed is None or pair.started_at <= confirmed <= now
        # The author's own confirmation is the saving of the draft.
        role = "mentor" if agreement.drafted_by_id == pair.mentor_user_id else "adept"
        assert getattr(agreement, f"{role}_confirmed_at") is not None


def test_logged_meetings_notes_and_checklists_keep_the_services_rules(seeded):
    day = today()
    for pair in Pair.objects.filter(tenant__slug__in=WITH_PAIRS).select_related("round", "tenant"):
        people = {pair.mentor_user_id, pair.adept_user_id}
        meetings = list(PairMeeting.objects.filter(pair=pair).order_by("date"))
        for meeting in meetings:
            assert start_of(pair) <= meeting.date <= day, (pair, meeting.date)
            assert meeting.date.weekday() < 5
            assert 10 <= meeting.minutes <= 600
            expected = pair.round.pair_meeting_minutes
            if expected:
                assert abs(meeting.minutes - expected) <= 30 or "skuggning" in meeting.place
            assert meeting.mode in PairMeeting.Mode.values
            assert meeting.mode != PairMeeting.Mode.ONLINE or meeting.place == "Teams"
            assert meeting.logged_by_id in people
            assert meeting.tenant_id == pair.tenant_id
        dates = [m.date for m in meetings]
        assert len(dates) == len(set(dates)), pair
        for note in PrivateNote.objects.filter(meeting__pair=pair):
            assert note.author_id in people and note.text
            assert note.tenant_id == pair.tenant_id
        for answer in ChecklistItemAnswer.objects.filter(pair=pair).select_related(
            "item__checklist"
        ):
            assert answer.user_id in people
            assert answer.done or answer.text
            # The round's own copy of its programme's checklists.
            assert answer.item.checklist.round_id == pair.round_id
            assert answer.item.checklist.copied_from.round_id is None
            if answer.item.checklist.template_key == "third":
                assert len(meetings) >= 3
        if pair.round.status == Round.Status.CLOSED and pair.round.ends_on:
            # A closed round's pairs met during its year and were ended at its end (issue 13:
            # nobody of an ended programme goes on planning meetings).
            assert len(meetings) >= 6, pair
            assert pair.status == Pair.Status.ENDED, pair
            assert all(m.date <= pair.round.ends_on for m in meetings), pair
            assert not PlannedMeeting.objects.filter(pair=pair).exists(), pair


def test_planned_meetings_lie_in_the_coming_weeks(seeded):
    now = timezone.now()
    planned = PlannedMeeting.objects.filter(tenant__slug__in=WITH_PAIRS).select_related("pair")
    assert planned.count() >= 6
    for meeting in planned:
        pair = meeting.pair
        assert now < meeting.starts_at < now + timedelta(weeks=7), meeting
        assert timezone.localtime(meeting.starts_at).weekday() < 5
        assert 10 <= meeting.minutes <= 600
        assert meeting.mode in PairMeeting.Mode.values
        assert meeting.created_by_id in (pair.mentor_user_id, pair.adept_user_id)
        assert meeting.cancelled_at is None and meeting.logged_as_id is None
        # Never on one of the round's shared days.
        assert not SharedMeeting.objects.filter(
            round=pair.round_id, date=timezone.localtime(meeting.starts_at).date()
        ).exists()


def quiet_names(slug):
    """The adepts of the tenant's active pairs with no meeting (or start) for the round's
    quiet_pair_weeks and nothing planned ahead, in running rounds, unless one of them asked to
    end the pair."""
    now, day = timezone.now(), today()
    names = []
    for pair in pairs_of(slug):
        round_ = pair.round
        if round_.status != Round.Status.RUNNING or not round_.quiet_pair_weeks:
            continue
        if pair.end_requested_at:
            continue  # a request to end, not a silence
        if PlannedMeeting.objects.filter(
            pair=pair, cancelled_at__isnull=True, starts_at__gt=now
        ).exists():
            continue
        last = (
            PairMeeting.objects.filter(pair=pair)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
        since = last or start_of(pair)
        if (day - since).days >= round_.quiet_pair_weeks * 7:
            names.append((pair.adept.full_name, (day - since).days, round_.quiet_pair_weeks))
    return names


def test_a_quiet_pair_for_the_coordinators_and_the_reminders(seeded):
    for slug in ["storvik", "kommundirektorer", "sjukhusgruppen"]:
        quiet = quiet_names(slug)
        assert [name for name, _days, _weeks in quiet] == QUIET.get(slug, []), (slug, quiet)
        for _name, days, weeks in quiet:
            # Quiet past the partners' reminder and the coordinators' two weeks more.
            assert days >= (weeks + 2) * 7
    (daniel,) = [p for p in pairs_of("kommundirektorer") if p.adept.full_name == "Daniel Ekström"]
    assert PairMeeting.objects.filter(pair=daniel).exists()  # they met, then went quiet
    assert PairAgreement.objects.get(pair=daniel).confirmed_by_both


def test_one_participant_has_asked_to_end_and_the_pair_is_still_active(seeded):
    requested = list(
        Pair.objects.filter(end_requested_at__isnull=False).select_related("tenant", "adept")
    )
    assert {p.tenant.slug: [p.adept.full_name] for p in requested} == END_REQUESTED
    (pair,) = requested
    assert pair.status == Pair.Status.ACTIVE and pair.ended_at is None and not pair.end_reason
    assert pair.end_requested_by_id in (pair.mentor_user_id, pair.adept_user_id)
    assert pair.end_request_reason.strip()
    assert pair.started_at < pair.end_requested_at <= timezone.now()
    last = PairMeeting.objects.filter(pair=pair).order_by("-date").first()
    assert last is not None
    assert last.date < timezone.localtime(pair.end_requested_at).date()
    assert not PlannedMeeting.objects.filter(pair=pair).exists()


def test_shared_days_are_answered_and_past_ones_have_attendance(seeded):
    day = today()
    responses = MeetingResponse.objects.filter(tenant__slug__in=WITH_PAIRS).select_related(
        "meeting", "participant"
    )
    for response in responses:
        meeting, participant = response.meeting, response.participant
        assert participant.round_id == meeting.round_id
        assert participant.role in meeting.audience_roles
        assert response.answered_at <= timezone.now()
        if response.dietary_needs:
            assert meeting.includes_meal and response.attending
        if meeting.date < day:
            assert response.attended is not None  # attendance marked for a past day
            assert response.answered_at.date() < meeting.date
        else:
            assert response.attended is None and response.attending is not None

    # storvik: the kickoff has passed, every participant is marked; the next days are answered.
    storvik = Round.objects.get(tenant__slug="storvik", name="Omgång 4")
    kickoff = SharedMeeting.objects.get(round=storvik, title="Uppstart")
    assert kickoff.date < day
    participants = Participant.objects.filter(round=storvik)
    assert kickoff.responses.count() == participants.count()
    assert kickoff.responses.filter(attended=True).count() >= participants.count() // 2
    upcoming = SharedMeeting.objects.filter(round=storvik, date__gte=day)
    assert MeetingResponse.objects.filter(meeting__in=upcoming, attending=True).exists()
    # kvarnadalen (both rounds closed): every day of both rounds answered and marked, and the
    # kickoffs (with lunch) have dietary needs.
    for round_ in Round.objects.filter(tenant__slug="kvarnadalen"):
        audience = Participant.objects.filter(round=round_).count()
        for meeting in round_.meetings.all():
            assert meeting.responses.count() == audience, meeting
            assert not meeting.responses.filter(attended__isnull=True).exists()
    assert (
        MeetingResponse.objects.filter(tenant__slug="kvarnadalen", meeting__includes_meal=True)
        .exclude(dietary_needs="")
        .exists()
    )


def test_the_pair_page_shows_the_activity_and_keeps_notes_private(seeded, client):
    pair = next(p for p in pairs_of("storvik") if p.adept.full_name == "Samir Haddad")
    meeting = PairMeeting.objects.get(pair=pair)
    note = PrivateNote.objects.get(meeting__pair=pair)
    url = f"/storvik/my/pairs/{pair.pk}/"
    author = pair.adept_user if note.author_id == pair.adept_user_id else pair.mentor_user
    partner = pair.mentor_user if author == pair.adept_user else pair.adept_user

    client.force_login(author)
    content = client.get(url).content.decode()
    assert f'id="meeting-{meeting.pk}"' in content
    assert meeting.date.isoformat() in content
    assert note.text in content
    assert 'id="agreement-confirmed"' in content

    client.force_login(partner)
    content = client.get(url).content.decode()
    assert f'id="meeting-{meeting.pk}"' in content
    assert note.text not in content

    # The mentor of the pair whose agreement awaits confirmation is offered to confirm it.
    draft = PairAgreement.objects.select_related("pair").get(
        pair__tenant__slug="storvik", mentor_confirmed_at__isnull=True
    )
    client.force_login(draft.pair.mentor_user)
    content = client.get(f"/storvik/my/pairs/{draft.pair_id}/").content.decode()
    assert 'id="confirm-agreement"' in content
    client.force_login(draft.pair.adept_user)
    content = client.get(f"/storvik/my/pairs/{draft.pair_id}/").content.decode()
    assert 'id="confirm-agreement"' not in content
